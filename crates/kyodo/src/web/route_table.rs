//! What the route table (`routes.rs`) is made of: a row type and the macro that turns the rows
//! into the `ROUTES` list and the axum router, each route behind its access level's guard.

use crate::policy::Access;

/// One row of the route table.
#[derive(Debug, Clone, Copy)]
pub struct RouteSpec {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
    pub summary: &'static str,
}

macro_rules! route_table {
    ($( $method:ident $path:literal => $handler:path, $access:ident, $summary:literal; )*) => {
        pub const ROUTES: &[RouteSpec] = &[
            $( RouteSpec { method: stringify!($method), path: $path, access: $crate::policy::Access::$access, summary: $summary }, )*
        ];

        pub fn router() -> axum::Router<$crate::web::WebState> {
            let mut r = axum::Router::new();
            $(
                r = r.route(
                    $path,
                    axum::routing::$method($handler).route_layer(axum::middleware::from_fn(
                        |req, next| $crate::web::middleware::guard($crate::policy::Access::$access, req, next),
                    )),
                );
            )*
            r
        }
    };
}
pub(crate) use route_table;
