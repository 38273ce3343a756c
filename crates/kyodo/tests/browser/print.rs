//! The print style: a public page printed on A4 shows its content without the site's navigation,
//! forms or buttons, and nothing runs off the paper (wide tables wrap or shrink instead of being
//! cut at the page edge).

use super::session::{Cdp, Session};
use serde_json::json;

/// The printable width of A4 with 15 mm margins at 96 dpi.
const A4_CONTENT_PX: u64 = 680;

impl Session {
    /// Lays the current page out as printed and records what is wrong as a violation.
    pub(crate) async fn print_check(&mut self, label: &str) {
        let print = json!({"media": "print"});
        self.c
            .issue_cmd(Cdp("Emulation.setEmulatedMedia", print))
            .await
            .unwrap();
        let paper =
            json!({"width": A4_CONTENT_PX, "height": 960, "deviceScaleFactor": 1, "mobile": false});
        self.c
            .issue_cmd(Cdp("Emulation.setDeviceMetricsOverride", paper))
            .await
            .unwrap();
        let found = self
            .c
            .execute_async(
                r#"const done = arguments[arguments.length - 1]; const t0 = Date.now();
                const check = () => {
                  const problems = [];
                  const shown = sel => [...document.querySelectorAll(sel)].filter(e => e.getClientRects().length > 0);
                  for (const sel of ['.main-nav', '.utility', 'main form', '.skip-link']) {
                    if (shown(sel).length) problems.push(sel + ' is printed');
                  }
                  if (!document.querySelector('main') || !document.querySelector('main').innerText.trim()) problems.push('no content printed');
                  const d = document.documentElement;
                  if (d.scrollWidth > d.clientWidth + 1) problems.push('wider than A4 (' + d.scrollWidth + ' px)');
                  return problems;
                };
                const wait = () => (matchMedia('print').matches && document.documentElement.clientWidth <= 700) || Date.now() - t0 > 3000
                  ? done(matchMedia('print').matches ? check() : ['print media never applied']) : setTimeout(wait, 10);
                wait();"#,
                vec![],
            )
            .await
            .unwrap();
        self.c
            .issue_cmd(Cdp("Emulation.setEmulatedMedia", json!({"media": ""})))
            .await
            .unwrap();
        self.c
            .issue_cmd(Cdp("Emulation.clearDeviceMetricsOverride", json!({})))
            .await
            .unwrap();
        let path = self.c.current_url().await.unwrap().path().to_string();
        let problems: Vec<String> = found
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p.as_str().map(str::to_string))
            .collect();
        for p in problems {
            self.violations.push(format!("{label} {path} (print): {p}"));
        }
    }
}
