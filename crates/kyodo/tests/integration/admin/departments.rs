//! `kyodo department import` with a list as a city keeps it.

use crate::ops::cli::{kyodo, ok};
use crate::support::*;

/// `kyodo department import` with a list as a city keeps it: Shift_JIS, a title row above the
/// headers, full-width codes, levels in Japanese or left out, a child before its parent, a row
/// that is already there. A file with problems names each by line and changes nothing.
#[tokio::test]
async fn departments_import_from_a_citys_own_list() {
    each_backend(|t| async move {
        let t = t.with_demo().await;
        let other = kyodo::accounts::organizations::by_code(&t.app.db, "130001")
            .await
            .unwrap()
            .unwrap()
            .id;
        let count = || async {
            kyodo::accounts::departments::list(&t.app.db, other)
                .await
                .unwrap()
                .len()
        };
        let before = count().await;
        let sjis = |text: &str| encoding_rs::SHIFT_JIS.encode(text).0.into_owned();
        let file = t.data_dir.join("組織.csv");
        std::fs::write(
            &file,
            sjis("令和7年度 組織一覧,,,\r\n所属名,所属コード,上位コード,区分\r\n2,２,９,課\r\n行政改革課,１１０,１００,\r\n行政改革課,110,100,\r\n"),
        )
        .unwrap();
        let args = ["department", "import", "--org", "130001", file.to_str().unwrap()];
        let bad = kyodo(&t, &args, None);
        assert!(!bad.status.success());
        let err = String::from_utf8_lossy(&bad.stderr);
        assert!(err.contains(":3: この上位コードの組織が") && err.contains("[9]"), "{err}");
        assert!(err.contains(":4: この上位コードの組織が"), "{err}");
        assert!(err.contains(":5: 同じコードがこのファイルの上の行にもあります。 / The same code"), "{err}");
        assert!(err.contains("nothing was imported"), "{err}");
        assert_eq!(count().await, before, "nothing half-imported");

        std::fs::write(
            &file,
            sjis("令和7年度 組織一覧,,,\r\n\r\n所属名,所属コード,上位コード,区分\r\n行政改革課,１１０,１００,\r\n企画局,１００,,局\r\n総務局,1,,部\r\n改革推進係,111,110,係\r\n"),
        )
        .unwrap();
        let out = ok(&kyodo(&t, &args, None));
        assert!(out.contains("3 department(s) added to 130001, 1 already there"), "{out}");
        let list = ok(&kyodo(&t, &["department", "list", "--org", "130001"], None));
        assert!(list.contains("100  企画局") && list.contains("  110  行政改革課") && list.contains("    111  改革推進係"), "{list}");
        let levels: Vec<(String, String)> = kyodo::accounts::departments::list(&t.app.db, other)
            .await
            .unwrap()
            .into_iter()
            .map(|d| (d.code, d.level))
            .collect();
        for (code, level) in [("100", "bu"), ("110", "ka"), ("111", "kakari")] {
            assert!(levels.contains(&(code.into(), level.into())), "{levels:?}");
        }
        // Again: everything is there already, nothing is added.
        assert!(ok(&kyodo(&t, &args, None)).contains("0 department(s) added to 130001, 4 already there"));
        t
    })
    .await;
}
