//! The library page as HTML text, for one `innerHTML` write: the browser's parser builds the
//! page faster than a few hundred DOM calls from wasm would, and that build is on the
//! library's path to interactive. It is the web app's markup (its `TopBar` and the
//! `stepwise-view` components), from the same words; the boot tests hold the two equal.
//!
//! Runbook text is data: every value from the index goes in through [`escape_into`], as text or
//! as a double-quoted attribute value, and tag and attribute names are `'static` literals,
//! so nothing from a file can become markup. The CSP forbids inline script besides.

use stepwise_core::evidence::report::html_into;
use stepwise_core::runbook::{DrillEntry, Index, IndexEntry};
use stepwise_view::count_text;
use stepwise_view::text::{
    drill_of, DEBRIEF_LINK, DRILLS_HEADING, DRILLS_HINT, DRILL_BADGE, LIBRARY_HEADING,
    OPEN_FILE_ACCEPT, OPEN_FILE_HEADING, OPEN_FILE_HINT, OPEN_FILE_LABEL, SEARCH_LABEL,
};

/// The top bar and the library, every runbook's card shown, `name` linking to the identity
/// page.
pub fn page(index: &Index, name: &str) -> String {
    let mut m = Markup(String::with_capacity(16 * 1024));
    top_bar(&mut m, name);
    m.open("main", &[("id", "main")]);
    m.open("section", &[("class", "page library")]);
    m.el("h1", &[], LIBRARY_HEADING);
    m.open("div", &[("class", "search")]);
    m.el("label", &[("for", "search")], SEARCH_LABEL);
    m.void(
        "input",
        &[
            ("id", "search"),
            ("type", "search"),
            ("autocomplete", "off"),
            ("spellcheck", "false"),
        ],
    );
    m.close("div");
    let total = index.runbooks.len();
    m.el(
        "p",
        &[
            ("role", "status"),
            ("data-testid", "library-count"),
            ("class", "count"),
        ],
        &count_text(total, total, ""),
    );
    m.open("ul", &[("class", "runbooks")]);
    for meta in &index.runbooks {
        runbook_card(&mut m, meta);
    }
    m.close("ul");
    if !index.drills.is_empty() {
        drills(&mut m, &index.drills);
    }
    m.open(
        "section",
        &[
            ("aria-labelledby", "open-file-heading"),
            ("class", "open-file"),
        ],
    );
    m.el("h2", &[("id", "open-file-heading")], OPEN_FILE_HEADING);
    m.open(
        "div",
        &[("data-testid", "file-drop"), ("class", "file-drop")],
    );
    m.el("label", &[("for", "open-file")], OPEN_FILE_LABEL);
    m.void(
        "input",
        &[
            ("id", "open-file"),
            ("type", "file"),
            ("accept", OPEN_FILE_ACCEPT),
        ],
    );
    m.el("p", &[("class", "hint")], OPEN_FILE_HINT);
    m.close("div");
    m.close("section");
    m.close("section");
    m.close("main");
    m.0
}

/// HTML being written. Names are literals; values and text are escaped.
struct Markup(String);

impl Markup {
    fn open(&mut self, tag: &'static str, attrs: &[(&'static str, &str)]) {
        self.0.push('<');
        self.0.push_str(tag);
        for (name, value) in attrs {
            self.0.push(' ');
            self.0.push_str(name);
            self.0.push_str("=\"");
            html_into(&mut self.0, value);
            self.0.push('"');
        }
        self.0.push('>');
    }

    /// An element without content or end tag (`input`).
    fn void(&mut self, tag: &'static str, attrs: &[(&'static str, &str)]) {
        self.open(tag, attrs);
    }

    fn close(&mut self, tag: &'static str) {
        self.0.push_str("</");
        self.0.push_str(tag);
        self.0.push('>');
    }

    fn text(&mut self, text: &str) {
        html_into(&mut self.0, text);
    }

    fn el(&mut self, tag: &'static str, attrs: &[(&'static str, &str)], text: &str) {
        self.open(tag, attrs);
        self.text(text);
        self.close(tag);
    }
}

/// The web app's `TopBar`, with plain anchors for its router links.
fn top_bar(m: &mut Markup, name: &str) {
    m.open("header", &[("class", "topbar")]);
    m.el("a", &[("href", "#/"), ("class", "brand")], "Stepwise");
    m.open("nav", &[("aria-label", "Main")]);
    for (href, text) in [
        ("#/", "Library"),
        ("#/sessions", "Sessions"),
        ("#/priority", "Priority"),
        ("#/verify", "Verify"),
        ("#/debrief", "Debrief"),
        ("#/identity", name),
    ] {
        m.el("a", &[("href", href)], text);
    }
    m.close("nav");
    m.el("span", &[("aria-live", "polite")], "");
    m.close("header");
}

/// The web app's `RunbookCard`, its title linking to a new session.
fn runbook_card(m: &mut Markup, meta: &IndexEntry) {
    let kind = meta.kind.label();
    m.open("li", &[("class", "card")]);
    m.open("h2", &[]);
    m.el("a", &[("href", &format!("#/run/{}", meta.id))], &meta.title);
    m.close("h2");
    m.open("p", &[("class", "meta")]);
    m.el("span", &[("class", &format!("kind {kind}"))], kind);
    m.el("span", &[("class", "category")], &meta.category);
    m.el(
        "span",
        &[("class", "version")],
        &format!("v{}", meta.version),
    );
    m.close("p");
    m.open("ul", &[("aria-label", "Tags"), ("class", "tags")]);
    for tag in &meta.tags {
        m.el("li", &[("class", "tag")], tag);
    }
    m.close("ul");
    m.close("li");
}

/// The web app's `DrillsSection` with its `DrillCard`s.
fn drills(m: &mut Markup, drills: &[DrillEntry]) {
    m.open(
        "section",
        &[("aria-labelledby", "drills-title"), ("class", "drills")],
    );
    m.el("h2", &[("id", "drills-title")], DRILLS_HEADING);
    m.open("p", &[("class", "hint")]);
    m.text(DRILLS_HINT);
    m.el("a", &[("href", "#/debrief")], DEBRIEF_LINK);
    m.text(".");
    m.close("p");
    m.open("ul", &[("class", "drill-list")]);
    for meta in drills {
        m.open(
            "li",
            &[("data-testid", "drill-card"), ("class", "card drill-card")],
        );
        m.open("h3", &[]);
        m.el(
            "a",
            &[("href", &format!("#/drill/{}", meta.id))],
            &meta.title,
        );
        m.close("h3");
        m.open("p", &[("class", "meta")]);
        m.el("span", &[("class", "drill-badge")], DRILL_BADGE);
        m.text(&drill_of(meta.runbook.as_str()));
        m.close("p");
        m.close("li");
    }
    m.close("ul");
    m.close("section");
}

#[cfg(test)]
mod tests {
    use stepwise_core::evidence::report::html as escape;
    use stepwise_core::runbook::Kind;
    use stepwise_core::{Digest, RunbookId};

    use super::*;

    const HOSTILE: &str = r#"<img src=x onerror="alert(1)"> & 'quoted' </li>"#;

    fn entry(id: &str, title: &str, tags: &[&str]) -> IndexEntry {
        IndexEntry {
            id: RunbookId::new(id),
            file: format!("{id}.yaml"),
            title: title.into(),
            version: "1.0.0".into(),
            kind: Kind::Incident,
            category: "Network / Remote access".into(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            sha256: Digest::of(b""),
        }
    }

    fn index(runbooks: Vec<IndexEntry>, drills: Vec<DrillEntry>) -> Index {
        Index {
            format: 1,
            runbooks,
            drills,
        }
    }

    #[test]
    fn hostile_text_from_the_index_stays_text() {
        let hostile = entry("vpn", HOSTILE, &[HOSTILE]);
        let drill = DrillEntry {
            id: "d".into(),
            file: "drills/d.yaml".into(),
            title: HOSTILE.into(),
            runbook: RunbookId::new("vpn"),
            sha256: Digest::of(b""),
        };
        let html = page(&index(vec![hostile], vec![drill]), HOSTILE);
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains(r#""alert"#), "{html}");
        // The title, a tag, the drill's title and the name in the top bar.
        assert_eq!(html.matches(&escape(HOSTILE)).count(), 4, "{html}");
    }

    #[test]
    fn every_runbook_has_a_card_linking_to_a_new_session() {
        let html = page(
            &index(
                vec![entry("vpn", "VPN", &["remote"]), entry("disk", "Disk", &[])],
                vec![],
            ),
            "Sam",
        );
        assert_eq!(html.matches(r#"<li class="card">"#).count(), 2);
        assert!(html.contains(r##"<a href="#/run/vpn">VPN</a>"##), "{html}");
        assert!(html.contains(r#"<li class="tag">remote</li>"#), "{html}");
        assert!(html.contains(">2 runbooks</p>"), "{html}");
        assert!(html.contains(r##"<a href="#/identity">Sam</a>"##), "{html}");
        assert!(
            !html.contains("Drills"),
            "no drills, no drill section: {html}"
        );
    }
}
