//! Line charts as SVG text (plotters' SVG backend) for report.html: latency spectra on a
//! log "1/(1−p)" axis, per-second timelines with shaded windows, capacity curves with the SLO.

use plotters::prelude::*;

/// One line of a chart.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Series {
    pub name: String,
    pub points: Vec<(f64, f64)>,
}

/// What to draw: axes, lines, and the extras a reader needs.
#[derive(Debug, Clone, Default)]
pub struct LineChart {
    pub x_label: String,
    pub y_label: String,
    pub x_log: bool,
    pub y_log: bool,
    /// A horizontal reference line (an SLO) and its label.
    pub threshold: Option<(f64, String)>,
    /// Ranges of x shaded behind the lines (a spike window).
    pub shaded: Vec<(f64, f64)>,
    /// The x axis is a percentile spectrum: x = 1/(1−p), ticks labelled as percentiles.
    pub percentile_axis: bool,
    pub series: Vec<Series>,
}

/// Colours distinguishable in print and for the common colour-vision deficiencies (Okabe–Ito).
const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
    RGBColor(240, 228, 66),
    RGBColor(0, 0, 0),
];

/// The colour of the `i`-th series (the same app keeps its colour across charts when the caller
/// orders series the same way).
pub fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// The chart as an SVG document, `width` × `height` pixels.
pub fn svg(chart: &LineChart, width: u32, height: u32) -> Result<String, String> {
    let mut out = String::new();
    draw(chart, &mut out, width, height).map_err(|e| format!("drawing a chart: {e}"))?;
    Ok(out)
}

type Drawn = Result<(), Box<dyn std::error::Error>>;

fn draw(chart: &LineChart, out: &mut String, width: u32, height: u32) -> Drawn {
    let root = SVGBackend::with_string(out, (width, height)).into_drawing_area();
    root.fill(&WHITE)?;
    let points = || chart.series.iter().flat_map(|s| s.points.iter());
    let (mut x0, mut x1, mut y0, mut y1) =
        points().fold((f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY), |(a, b, c, d), &(x, y)| (a.min(x), b.max(x), c.min(y), d.max(y)));
    if let Some((t, _)) = chart.threshold {
        (y0, y1) = (y0.min(t), y1.max(t));
    }
    if !x0.is_finite() {
        (x0, x1, y0, y1) = (0.0, 1.0, 0.0, 1.0);
    }
    let span = |lo: f64, hi: f64, log: bool| -> (f64, f64) {
        if log {
            (lo.max(1e-3) * 0.9, hi.max(lo.max(1e-3) * 10.0) * 1.1)
        } else {
            (lo.min(0.0), if hi > lo { hi * 1.05 } else { lo + 1.0 })
        }
    };
    let (x0, x1) = span(x0, x1, chart.x_log || chart.percentile_axis);
    let (y0, y1) = span(y0, y1, chart.y_log);
    let mut builder = ChartBuilder::on(&root);
    builder.margin(12).x_label_area_size(40).y_label_area_size(64);
    macro_rules! finish {
        ($ctx:expr) => {{
            let mut ctx = $ctx;
            let mut mesh = ctx.configure_mesh();
            mesh.x_desc(chart.x_label.as_str()).y_desc(chart.y_label.as_str()).light_line_style(RGBColor(235, 235, 235));
            let percentile = |x: &f64| percentile_label(*x);
            let number = |v: &f64| axis_number(*v);
            mesh.y_label_formatter(&number).x_labels(10);
            if chart.percentile_axis {
                mesh.x_label_formatter(&percentile);
            } else {
                mesh.x_label_formatter(&number);
            }
            mesh.draw()?;
            for &(a, b) in &chart.shaded {
                ctx.draw_series(std::iter::once(Rectangle::new([(a, y0), (b, y1)], RGBColor(255, 224, 178).filled())))?;
            }
            if let Some((t, label)) = &chart.threshold {
                ctx.draw_series(LineSeries::new([(x0, *t), (x1, *t)], RED.stroke_width(1)))?
                    .label(label.as_str())
                    .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], RED));
            }
            for (i, s) in chart.series.iter().enumerate() {
                let c = colour(i);
                ctx.draw_series(LineSeries::new(s.points.iter().copied(), c.stroke_width(2)))?
                    .label(s.name.as_str())
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], c.stroke_width(2)));
            }
            ctx.configure_series_labels()
                .background_style(WHITE.mix(0.85))
                .border_style(RGBColor(200, 200, 200))
                .position(SeriesLabelPosition::UpperLeft)
                .draw()?;
        }};
    }
    match (chart.x_log || chart.percentile_axis, chart.y_log) {
        (true, true) => finish!(builder.build_cartesian_2d((x0..x1).log_scale(), (y0..y1).log_scale())?),
        (true, false) => finish!(builder.build_cartesian_2d((x0..x1).log_scale(), y0..y1)?),
        (false, true) => finish!(builder.build_cartesian_2d(x0..x1, (y0..y1).log_scale())?),
        (false, false) => finish!(builder.build_cartesian_2d(x0..x1, y0..y1)?),
    }
    root.present()?;
    Ok(())
}

/// A tick value without trailing zeros: `100`, `2.5`, `0.05`.
pub fn axis_number(v: f64) -> String {
    let text = if v.abs() >= 10.0 { format!("{v:.0}") } else { format!("{v:.2}") };
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// The percentile an x of a spectrum stands for, labelled only at the decades (1/(1−p) = 10 is
/// "90%", 100 is "99%", 1000 is "99.9%"); other ticks stay unlabelled so the tail stays legible.
pub fn percentile_label(x: f64) -> String {
    let decade = x.max(1.0).log10();
    if (decade - decade.round()).abs() > 1e-6 {
        return String::new();
    }
    let p = 100.0 * (1.0 - 1.0 / x.max(1.0));
    let text = format!("{p:.4}");
    format!("{}%", text.trim_end_matches('0').trim_end_matches('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spectrums_axis_reads_as_percentiles() {
        assert_eq!(percentile_label(1.0), "0%");
        assert_eq!(percentile_label(10.0), "90%");
        assert_eq!(percentile_label(100.0), "99%");
        assert_eq!(percentile_label(1000.0), "99.9%");
        assert_eq!(percentile_label(50.0), "", "only decades are labelled");
    }

    #[test]
    fn axis_numbers_drop_trailing_zeros() {
        assert_eq!([axis_number(100.0), axis_number(2.5), axis_number(0.05), axis_number(40.0)], ["100", "2.5", "0.05", "40"]);
    }

    #[test]
    fn a_chart_is_an_svg_with_every_series_named_and_the_threshold_drawn() {
        let chart = LineChart {
            x_label: "offered rate /s".into(),
            y_label: "p99 ms".into(),
            threshold: Some((100.0, "SLO 100 ms".into())),
            shaded: vec![(2.0, 3.0)],
            series: vec![
                Series { name: "gin".into(), points: vec![(25.0, 10.0), (50.0, 12.0), (100.0, 140.0)] },
                Series { name: "django".into(), points: vec![(25.0, 30.0), (50.0, 400.0)] },
            ],
            ..LineChart::default()
        };
        let svg = svg(&chart, 640, 360).unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..80.min(svg.len())]);
        for text in ["gin", "django", "SLO 100 ms", "offered rate /s", "p99 ms"] {
            assert!(svg.contains(text), "{text} missing");
        }
        assert!(svg.contains("<polyline") || svg.contains("<path"), "no line drawn");
    }

    #[test]
    fn an_empty_chart_still_draws_its_axes() {
        let svg = svg(&LineChart { x_label: "s".into(), y_label: "ms".into(), y_log: true, ..LineChart::default() }, 320, 200).unwrap();
        assert!(svg.contains("</svg>"));
    }
}
