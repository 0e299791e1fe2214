//! Markdown to a small, safe document tree that any adapter can render.
//!
//! Runbook text is data, never code. pulldown-cmark parses CommonMark (with tables and
//! strikethrough); this module keeps only an allow-list of elements and turns everything
//! else into text: raw HTML is shown literally, images become their alt text, and a link
//! whose target is not `http`, `https`, `mailto`, `tel` or relative (`#/…`, `docs/x`) loses
//! its link and keeps its words. Renderers map [`Tag`]s to elements by name and never parse
//! strings as markup, so nothing here can inject a script, a style or an event handler.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag as CmTag, TagEnd};

/// One node of the rendered tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Text(String),
    Element {
        tag: Tag,
        /// Only links carry one, already checked by [`safe_href`].
        href: Option<String>,
        children: Vec<Node>,
    },
}

/// The elements a rendered document may contain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    Paragraph,
    /// A heading; levels are shifted so that a body's `#` sits below the step title.
    Heading(u8),
    BlockQuote,
    CodeBlock,
    Code,
    /// An ordered list and the number it starts at.
    OrderedList(u64),
    BulletList,
    ListItem,
    Emphasis,
    Strong,
    Strikethrough,
    Link,
    LineBreak,
    Rule,
    Table,
    TableHead,
    TableRow,
    TableCell,
}

impl Tag {
    /// The HTML element name for this tag.
    pub fn element_name(self) -> &'static str {
        match self {
            Tag::Paragraph => "p",
            Tag::Heading(3) => "h3",
            Tag::Heading(4) => "h4",
            Tag::Heading(5) => "h5",
            Tag::Heading(_) => "h6",
            Tag::BlockQuote => "blockquote",
            Tag::CodeBlock => "pre",
            Tag::Code => "code",
            Tag::OrderedList(_) => "ol",
            Tag::BulletList => "ul",
            Tag::ListItem => "li",
            Tag::Emphasis => "em",
            Tag::Strong => "strong",
            Tag::Strikethrough => "del",
            Tag::Link => "a",
            Tag::LineBreak => "br",
            Tag::Rule => "hr",
            Tag::Table => "table",
            Tag::TableHead => "thead",
            Tag::TableRow => "tr",
            Tag::TableCell => "td",
        }
    }
}

/// Renders Markdown to a list of top-level nodes.
///
/// ```
/// use stepwise_core::markdown::{render, Node, Tag};
///
/// let nodes = render("Call <b>now</b>: [wiki](javascript:alert(1))");
/// let Node::Element { tag: Tag::Paragraph, children, .. } = &nodes[0] else { panic!() };
/// // Raw HTML stays text, and the unsafe link keeps only its words.
/// assert!(children.iter().all(|n| matches!(n, Node::Text(_))));
/// ```
pub fn render(markdown: &str) -> Vec<Node> {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut builder = Builder::default();
    for event in Parser::new_ext(markdown, options) {
        builder.event(event);
    }
    builder.finish()
}

/// The link target to keep, or `None` when it is not safe to follow.
///
/// Browsers drop tabs and newlines inside URLs (`java\tscript:` runs as `javascript:`), so
/// any whitespace or control character refuses the link outright.
pub fn safe_href(url: &str) -> Option<String> {
    if url.is_empty() || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let scheme_end = url.find(':');
    let path_start = url.find(['/', '?', '#']).unwrap_or(url.len());
    match scheme_end {
        Some(colon) if colon < path_start => {
            let scheme = url[..colon].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto" | "tel").then(|| url.to_owned())
        }
        // No scheme: a relative reference, which stays on our own origin. A protocol-relative
        // `//host` would leave it, so it is refused.
        _ if url.starts_with("//") => None,
        _ => Some(url.to_owned()),
    }
}

/// Builds the tree from pulldown-cmark's events with a stack of open elements.
#[derive(Default)]
struct Builder {
    stack: Vec<(Option<Tag>, Option<String>, Vec<Node>)>,
    done: Vec<Node>,
}

impl Builder {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.open(tag),
            Event::End(end) => self.close(end),
            Event::Text(text)
            | Event::Html(text)
            | Event::InlineHtml(text)
            | Event::InlineMath(text)
            | Event::DisplayMath(text)
            | Event::FootnoteReference(text) => self.text(&text),
            Event::Code(code) => self.push(Node::Element {
                tag: Tag::Code,
                href: None,
                children: vec![Node::Text(code.into_string())],
            }),
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => self.push(leaf(Tag::LineBreak)),
            Event::Rule => self.push(leaf(Tag::Rule)),
            Event::TaskListMarker(done) => self.text(if done { "[x] " } else { "[ ] " }),
        }
    }

    fn open(&mut self, tag: CmTag<'_>) {
        let (kept, href) = match tag {
            CmTag::Paragraph => (Some(Tag::Paragraph), None),
            CmTag::Heading { level, .. } => (Some(Tag::Heading(shifted(level))), None),
            CmTag::BlockQuote(_) => (Some(Tag::BlockQuote), None),
            // Raw HTML is shown as it was written, literally, as a code block shows code.
            CmTag::CodeBlock(_) | CmTag::HtmlBlock => (Some(Tag::CodeBlock), None),
            CmTag::List(Some(start)) => (Some(Tag::OrderedList(start)), None),
            CmTag::List(None) => (Some(Tag::BulletList), None),
            CmTag::Item => (Some(Tag::ListItem), None),
            CmTag::Emphasis => (Some(Tag::Emphasis), None),
            CmTag::Strong => (Some(Tag::Strong), None),
            CmTag::Strikethrough => (Some(Tag::Strikethrough), None),
            CmTag::Table(_) => (Some(Tag::Table), None),
            CmTag::TableHead => (Some(Tag::TableHead), None),
            CmTag::TableRow => (Some(Tag::TableRow), None),
            CmTag::TableCell => (Some(Tag::TableCell), None),
            CmTag::Link { dest_url, .. } => match safe_href(&dest_url) {
                Some(href) => (Some(Tag::Link), Some(href)),
                None => (None, None),
            },
            // Everything else keeps only its text: images (their alt text),
            // footnotes, definition lists, metadata, super- and subscripts.
            _ => (None, None),
        };
        self.stack.push((kept, href, Vec::new()));
    }

    fn close(&mut self, _end: TagEnd) {
        let Some((tag, href, children)) = self.stack.pop() else {
            return;
        };
        match tag {
            Some(tag) => self.push(Node::Element {
                tag,
                href,
                children,
            }),
            // A dropped element's children join its parent, so its words are kept.
            None => children.into_iter().for_each(|child| self.push(child)),
        }
    }

    fn text(&mut self, text: &str) {
        let siblings = self.siblings();
        match siblings.last_mut() {
            Some(Node::Text(previous)) => previous.push_str(text),
            _ => siblings.push(Node::Text(text.to_owned())),
        }
    }

    fn push(&mut self, node: Node) {
        match node {
            Node::Text(text) => self.text(&text),
            element => self.siblings().push(element),
        }
    }

    fn siblings(&mut self) -> &mut Vec<Node> {
        match self.stack.last_mut() {
            Some((_, _, children)) => children,
            None => &mut self.done,
        }
    }

    fn finish(mut self) -> Vec<Node> {
        // pulldown-cmark balances its events; this only guards against a future change.
        while !self.stack.is_empty() {
            self.close(TagEnd::Paragraph);
        }
        self.done
    }
}

fn leaf(tag: Tag) -> Node {
    Node::Element {
        tag,
        href: None,
        children: Vec::new(),
    }
}

/// `#` becomes `h3`, since the page's `h1` is the runbook and its `h2` the step.
fn shifted(level: HeadingLevel) -> u8 {
    (level as u8 + 2).min(6)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Renders nodes back to a compact HTML-like string, to compare trees at a glance.
    fn show(nodes: &[Node]) -> String {
        nodes
            .iter()
            .map(|node| match node {
                Node::Text(text) => text.replace('<', "&lt;"),
                Node::Element {
                    tag,
                    href,
                    children,
                } => {
                    let name = tag.element_name();
                    let attr = href
                        .as_ref()
                        .map(|h| format!(" href={h}"))
                        .unwrap_or_default();
                    format!("<{name}{attr}>{}</{name}>", show(children))
                }
            })
            .collect()
    }

    fn check(markdown: &str, expect: &str) {
        assert_eq!(show(&render(markdown)), expect, "markdown: {markdown:?}");
    }

    #[test]
    fn common_runbook_markdown() {
        check(
            "Call **now**, *politely*.",
            "<p>Call <strong>now</strong>, <em>politely</em>.</p>",
        );
        check(
            "- one\n- `two`",
            "<ul><li>one</li><li><code>two</code></li></ul>",
        );
        check("3. c\n4. d", "<ol><li>c</li><li>d</li></ol>");
        check("# Head", "<h3>Head</h3>");
        check("```\nipconfig /all\n```", "<pre>ipconfig /all\n</pre>");
        check("a\nb", "<p>a b</p>");
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        check(
            "<script>alert(1)</script>",
            "<pre>&lt;script>alert(1)&lt;/script></pre>",
        );
        check(
            "hi <img src=x onerror=alert(1)>",
            "<p>hi &lt;img src=x onerror=alert(1)></p>",
        );
    }

    #[test]
    fn links_keep_safe_targets_only() {
        check(
            "[wiki](https://wiki.example/x)",
            "<p><a href=https://wiki.example/x>wiki</a></p>",
        );
        check("[run](#/run/vpn)", "<p><a href=#/run/vpn>run</a></p>");
        check("[x](javascript:alert(1))", "<p>x</p>");
        check("[x](JaVaScRiPt:alert(1))", "<p>x</p>");
        check("[x](data:text/html,<b>)", "<p>x</p>");
        check(
            "![alt text](https://evil.example/pixel.png)",
            "<p>alt text</p>",
        );
    }

    #[test]
    fn safe_href_table() {
        for (url, ok) in [
            ("https://a.example", true),
            ("HTTP://a.example", true),
            ("mailto:desk@example.org", true),
            ("tel:+441234", true),
            ("docs/runbook", true),
            ("#/run/x", true),
            ("/abs/path", true),
            ("//evil.example/x", false),
            ("javascript:alert(1)", false),
            ("java\tscript:alert(1)", false),
            (" javascript:alert(1)", false),
            ("vbscript:x", false),
            ("file:///etc/passwd", false),
            ("data:text/html;base64,PHNjcmlwdD4=", false),
            ("", false),
        ] {
            assert_eq!(safe_href(url).is_some(), ok, "{url:?}");
        }
    }

    #[test]
    fn tables_and_strikethrough() {
        check(
            "| a | b |\n|---|---|\n| 1 | 2 |",
            "<table><thead><td>a</td><td>b</td></thead><tr><td>1</td><td>2</td></tr></table>",
        );
        check("~~old~~", "<p><del>old</del></p>");
    }
}
