// Loads the WebAssembly app. Kept in a file of its own so the CSP needs no inline script.
import init from "../pkg/stepwise.js";

init().catch((error) => {
  const root = document.getElementById("app");
  const message = document.createElement("p");
  message.className = "boot error";
  message.setAttribute("role", "alert");
  message.textContent = `Stepwise could not start: ${error}`;
  root.replaceChildren(message);
});
