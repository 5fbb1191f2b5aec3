//! A workflow's flowchart as an SVG picture, drawn by the server from the same
//! [`Chart`] that [`super::mermaid()`] prints, so the builder page shows the diagram
//! without loading Mermaid (or anything else) from a CDN.
//!
//! Layout: one column, top to bottom, in the chart's order; the stop box, when there
//! is one, sits to the right of the first check, and every "no" arrow goes to it.
//! Text is wrapped at a fixed width and XML-escaped, so nothing from a spec can end an
//! element; the output is deterministic.

use std::fmt::Write as _;

use super::mermaid::{Chart, ChartNode, Shape};

const WIDTH: usize = 340;
const LINE: usize = 16;
const PAD: usize = 10;
const GAP: usize = 34;
const CHARS: usize = 44;
const LEFT: usize = 20;
const SIDE_GAP: usize = 60;
const SIDE_WIDTH: usize = 180;

/// Draws `chart` as a standalone `<svg>` element.
pub fn svg(chart: &Chart) -> String {
    let main: Vec<&ChartNode> = chart.nodes.iter().filter(|n| n.id != "skip").collect();
    let skip = chart.nodes.iter().find(|n| n.id == "skip");
    // Each main node's top and height.
    let mut boxes: Vec<(&ChartNode, usize, usize, Vec<String>)> = Vec::new();
    let mut y = PAD;
    for n in main {
        let lines = wrap(&n.text, CHARS);
        let extra = if n.shape == Shape::Decision {
            2 * PAD
        } else {
            0
        };
        let h = lines.len() * LINE + 2 * PAD + extra;
        boxes.push((n, y, h, lines));
        y += h + GAP;
    }
    let height = y.saturating_sub(GAP) + PAD;
    let total_width = LEFT
        + WIDTH
        + if skip.is_some() {
            SIDE_GAP + SIDE_WIDTH + PAD
        } else {
            PAD
        };
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"flowchart\" role=\"img\" viewBox=\"0 0 {total_width} {height}\" width=\"{total_width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"13\">"
    );
    out.push_str("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0L10,5L0,10z\" fill=\"#555\"/></marker></defs>");
    let center = LEFT + WIDTH / 2;
    let find = |id: &str| boxes.iter().find(|b| b.0.id == id);
    let skip_box = skip.map(|s| {
        let first_decision = boxes
            .iter()
            .find(|b| b.0.shape == Shape::Decision)
            .map_or(PAD, |b| b.1);
        let lines = wrap(&s.text, 24);
        let h = lines.len() * LINE + 2 * PAD;
        (s, first_decision, h, lines)
    });
    let side_x = LEFT + WIDTH + SIDE_GAP;
    for e in &chart.edges {
        let Some(from) = find(&e.from) else { continue };
        if e.to == "skip" {
            if let Some((_, sy, sh, _)) = &skip_box {
                let fy = from.1 + from.2 / 2;
                let ty = sy + sh / 2;
                let _ = write!(
                    out,
                    "<path d=\"M{},{fy} L{},{fy} L{},{ty} L{side_x},{ty}\" fill=\"none\" stroke=\"#555\" marker-end=\"url(#arrow)\"/>",
                    LEFT + WIDTH,
                    LEFT + WIDTH + SIDE_GAP / 2,
                    LEFT + WIDTH + SIDE_GAP / 2
                );
                label(&mut out, LEFT + WIDTH + 4, fy - 4, e.label);
            }
            continue;
        }
        let Some(to) = find(&e.to) else { continue };
        let (y1, y2) = (from.1 + from.2, to.1);
        let _ = write!(
            out,
            "<line x1=\"{center}\" y1=\"{y1}\" x2=\"{center}\" y2=\"{y2}\" stroke=\"#555\" marker-end=\"url(#arrow)\"/>"
        );
        label(&mut out, center + 6, y1 + GAP / 2 + 4, e.label);
    }
    for (n, top, h, lines) in &boxes {
        draw(&mut out, n, LEFT, *top, WIDTH, *h, lines);
    }
    if let Some((n, top, h, lines)) = &skip_box {
        draw(&mut out, n, side_x, *top, SIDE_WIDTH, *h, lines);
    }
    out.push_str("</svg>");
    out
}

fn label(out: &mut String, x: usize, y: usize, text: Option<&str>) {
    if let Some(t) = text {
        let _ = write!(
            out,
            "<text x=\"{x}\" y=\"{y}\" fill=\"#555\">{}</text>",
            escape(t)
        );
    }
}

fn draw(
    out: &mut String,
    node: &ChartNode,
    left: usize,
    top: usize,
    width: usize,
    height: usize,
    lines: &[String],
) {
    let (fill, stroke, stroke_width) = if node.changed {
        ("#fff4c2", "#b7791f", 3)
    } else {
        ("#f4f6fb", "#4a5a80", 1)
    };
    let _ = write!(out, "<g class=\"node\" data-node=\"{}\">", escape(&node.id));
    let _ = match node.shape {
        Shape::Terminal => write!(
            out,
            "<rect x=\"{left}\" y=\"{top}\" width=\"{width}\" height=\"{height}\" rx=\"{}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{stroke_width}\"/>",
            height.min(40) / 2
        ),
        Shape::Step => write!(
            out,
            "<rect x=\"{left}\" y=\"{top}\" width=\"{width}\" height=\"{height}\" rx=\"4\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{stroke_width}\"/>"
        ),
        Shape::Decision => {
            // A hexagon: the question's box with pointed sides.
            let (right, bottom, middle) = (left + width, top + height, top + height / 2);
            write!(
                out,
                "<polygon points=\"{},{top} {},{top} {right},{middle} {},{bottom} {},{bottom} {left},{middle}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{stroke_width}\"/>",
                left + PAD * 2,
                right - PAD * 2,
                right - PAD * 2,
                left + PAD * 2
            )
        }
    };
    let first = top + (height - lines.len() * LINE) / 2 + LINE - 4;
    for (i, line) in lines.iter().enumerate() {
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            left + width / 2,
            first + i * LINE,
            escape(line)
        );
    }
    out.push_str("</g>");
}

/// Words into lines of at most `width` characters (a longer word is cut).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word: String = word.chars().filter(|c| !c.is_control()).collect();
        while word.chars().count() > width {
            let head: String = word.chars().take(width).collect();
            word = word.chars().skip(width).collect();
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            lines.push(head);
        }
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::blueprint::{Action, Blueprint, Condition, Trigger};
    use crate::config::Config;
    use crate::explain::{Node, mermaid::chart};

    #[test]
    fn the_svg_draws_the_mermaid_nodes_escaped_and_marked() {
        let b = Blueprint {
            name: "Won".into(),
            entity: "CRM_DEAL".into(),
            trigger: Trigger::new("deal_won"),
            conditions: vec![Condition {
                field: "OPPORTUNITY".into(),
                operator: ">".into(),
                value: "20000".into(),
            }],
            actions: vec![Action::new(
                "send_whatsapp",
                [
                    ("to", "{{CONTACT_PHONE}}".to_owned()),
                    (
                        "message",
                        "</text><script>alert(1)</script> & \"x\"".to_owned(),
                    ),
                ],
            )],
        };
        let marks = BTreeSet::from([Node::Action(0)]);
        let c = chart(&b, &Config::default(), &marks);
        let picture = svg(&c);
        assert!(picture.starts_with("<svg ") && picture.ends_with("</svg>"));
        for n in &c.nodes {
            assert!(
                picture.contains(&format!("data-node=\"{}\"", n.id)),
                "{}",
                n.id
            );
        }
        assert!(!picture.contains("<script"), "{picture}");
        assert!(picture.contains("&lt;script&gt;"));
        assert_eq!(picture.matches("stroke-width=\"3\"").count(), 1);
        assert_eq!(picture.matches(">no</text>").count(), 2);
        assert_eq!(svg(&c), picture);
    }

    #[test]
    fn wrapping_keeps_every_word_and_cuts_long_ones() {
        assert_eq!(wrap("a bb ccc", 4), ["a bb", "ccc"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 4), [""]);
    }
}
