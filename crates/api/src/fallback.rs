//! Answers requests no route matched: 405 with `Allow` when the path exists
//! with other methods, else 404 `route_not_found`.

use actix_web::{HttpRequest, HttpResponse, ResponseError, http::header, web};

use crate::{error::ApiError, state::AppState};

/// The documented paths and their methods, used to tell 404 from 405.
#[derive(Debug, Default, Clone)]
pub struct RouteIndex(Vec<(Vec<String>, Vec<String>)>);

impl RouteIndex {
    /// Indexes the paths of an OpenAPI document.
    pub fn from_openapi(doc: &utoipa::openapi::OpenApi) -> RouteIndex {
        let routes = doc
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let segments = path.split('/').map(str::to_owned).collect();
                let value = serde_json::to_value(item).unwrap_or_default();
                let methods = value
                    .as_object()
                    .map(|item| {
                        item.keys()
                            .filter(|key| {
                                ["get", "post", "put", "patch", "delete"].contains(&key.as_str())
                            })
                            .map(|key| key.to_ascii_uppercase())
                            .collect()
                    })
                    .unwrap_or_default();
                (segments, methods)
            })
            .collect();
        RouteIndex(routes)
    }

    /// The methods allowed on `path`, if any documented route matches it.
    pub fn allowed_methods(&self, path: &str) -> Option<Vec<String>> {
        let segments: Vec<&str> = path.split('/').collect();
        let mut methods: Vec<String> = self
            .0
            .iter()
            .filter(|(pattern, _)| {
                pattern.len() == segments.len()
                    && pattern.iter().zip(&segments).all(|(p, s)| {
                        (p.starts_with('{') && p.ends_with('}') && !s.is_empty()) || p == s
                    })
            })
            .flat_map(|(_, methods)| methods.iter().cloned())
            .collect();
        methods.sort();
        methods.dedup();
        (!methods.is_empty()).then_some(methods)
    }
}

/// The app's default service.
pub async fn no_route(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    match state.routes.allowed_methods(req.path()) {
        Some(methods) => {
            let mut response = ApiError::MethodNotAllowed.error_response();
            if let Ok(value) = header::HeaderValue::from_str(&methods.join(", ")) {
                response.headers_mut().insert(header::ALLOW, value);
            }
            response
        }
        None => ApiError::NoRoute.error_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_templated_segments() {
        let index = RouteIndex(vec![(
            "/v1/users/{id}".split('/').map(str::to_owned).collect(),
            vec!["GET".to_owned(), "PATCH".to_owned()],
        )]);
        assert_eq!(
            index.allowed_methods("/v1/users/123"),
            Some(vec!["GET".to_owned(), "PATCH".to_owned()])
        );
        assert_eq!(index.allowed_methods("/v1/users/123/x"), None);
        assert_eq!(index.allowed_methods("/v1/users/"), None);
    }
}
