//! Nullable numbers (`DOUBLE PRECISION`) bound as `kyodo::db::Real`: one statement run first with
//! a NULL and then with a value on the same connection stores both. A bare `Option<f64>` does
//! not on PostgreSQL under sqlx 0.9.0 (see `db/real.rs`) — it was an Open311 request with
//! coordinates answering 500 when the connection had first stored one without.

use crate::support::*;
use kyodo::db::Real;

const INSERT: &str = "INSERT INTO probe (id, v) VALUES ($1, $2)";

#[tokio::test]
async fn a_null_number_then_a_value_on_one_connection() {
    each_backend(|t| async move {
        let mut conn = t.app.db.acquire().await.unwrap();
        sqlx::query("CREATE TABLE probe (id BIGINT NOT NULL, v DOUBLE PRECISION)")
            .execute(&mut *conn)
            .await
            .unwrap();
        for (id, v) in [(1, None), (2, Some(37.4947)), (3, None), (4, Some(-0.5))] {
            sqlx::query(INSERT)
                .bind(id)
                .bind(Real(v))
                .execute(&mut *conn)
                .await
                .unwrap_or_else(|e| panic!("{}: row {id}: {e}", t.backend));
        }
        let rows: Vec<(i64, Option<f64>)> = sqlx::query_as("SELECT id, v FROM probe ORDER BY id")
            .fetch_all(&mut *conn)
            .await
            .unwrap();
        assert_eq!(
            rows,
            vec![(1, None), (2, Some(37.4947)), (3, None), (4, Some(-0.5))]
        );

        // Why `Real` exists: the same sequence with a bare Option<f64> (a statement new to
        // every connection, so this one prepares it with the NULL).
        let bare = "INSERT INTO probe (id, v) VALUES ($1, $2) -- bare";
        sqlx::query(bare)
            .bind(5_i64)
            .bind(None::<f64>)
            .execute(&mut *conn)
            .await
            .unwrap();
        let value = sqlx::query(bare)
            .bind(6_i64)
            .bind(Some(1.5_f64))
            .execute(&mut *conn)
            .await;
        if t.backend == "postgres" {
            assert!(
                value.is_err(),
                "sqlx now binds a NULL f64 as float8: bind Option::<f64>::None in db/real.rs"
            );
        } else {
            value.unwrap();
        }
        drop(conn);
        t
    })
    .await;
}
