//! `/v1/tasks`: the care team's calls, gifts, visits and follow-ups. Staff
//! list them (a staff member's open workload is `?assignee=me&status=open`),
//! create, assign, record contact outcomes and close them; automations
//! create them through `guestcare_db::tasks::create_task`.

mod body;
mod query;

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, post, web};
use chrono::Utc;
use guestcare_db::tasks::{self, NewTask, OutcomeRecord};
use guestcare_domain::Permission;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

pub use body::{AssignRequest, CloseRequest, NewTaskRequest, OutcomeRequest, TaskView};
pub(crate) use body::{check_assignee, check_guest, optional_text};
pub use query::TaskQuery;
pub(crate) use query::parse_assignee;

use super::guests::actor;
use crate::{
    audit,
    auth::Auth,
    db,
    error::ApiError,
    extract::{IdempotencyKey, ValidJson, ValidQuery},
    idempotent::{self, Fingerprint},
    pagination::{PageOf, PageQuery},
    state::AppState,
};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_tasks)
        .service(create_task)
        .service(get_task)
        .service(assign_task)
        .service(record_outcome)
        .service(close_task);
}

/// The tenant's tasks, earliest due first.
#[utoipa::path(
    tag = "tasks",
    security(("bearer" = [])),
    params(PageQuery, TaskQuery),
    responses((status = 200, body = PageOf<TaskView>), (status = 422, body = crate::error::Problem))
)]
#[get("/tasks")]
async fn list_tasks(
    state: web::Data<AppState>,
    auth: Auth,
    page: ValidQuery<PageQuery>,
    query: ValidQuery<TaskQuery>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let page = page.0.validate()?;
    let filter = query.into_inner().filter(&auth)?;
    let rows = db::run(&state.pool, move |conn| {
        Ok(tasks::list_tasks(
            conn,
            auth.tenant_id,
            &filter,
            page.cursor,
            page.limit,
        )?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(PageOf::from_rows(rows, page, |t| t.id, TaskView::from)))
}

/// Creates a task by hand. Honours `Idempotency-Key`.
#[utoipa::path(
    tag = "tasks",
    security(("bearer" = [])),
    request_body = NewTaskRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 201, body = TaskView), (status = 422, body = crate::error::Problem))
)]
#[post("/tasks")]
async fn create_task(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    body: ValidJson<NewTaskRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::WriteGuests)?;
    let fingerprint = Fingerprint::of(&req, &body.digest);
    let request = body.into_inner();
    let valid = request.validate()?;
    let actor_auth = auth.clone();
    idempotent::respond(&state, &auth, key, fingerprint, move |conn| {
        let tenant_id = actor_auth.tenant_id;
        check_guest(conn, tenant_id, request.guest_id)?;
        check_assignee(conn, tenant_id, request.assignee_id, "assignee_id")?;
        let created = tasks::create_task(
            conn,
            tenant_id,
            &NewTask {
                kind: valid.kind,
                guest_id: request.guest_id,
                due_on: request.due_on,
                assignee_id: request.assignee_id,
                title: valid.title,
                script: valid.script,
                context: serde_json::json!({}),
                source: "manual".to_owned(),
                occurrence_key: None,
                actor: actor(&actor_auth),
            },
        )?;
        audit::record(conn, &actor_auth, "task.create", "task", created.task.id)?;
        Ok((StatusCode::CREATED, TaskView::from(created.task)))
    })
    .await
}

/// One task.
#[utoipa::path(
    tag = "tasks",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = TaskView), (status = 404, body = crate::error::Problem))
)]
#[get("/tasks/{id}")]
async fn get_task(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let id = id.into_inner();
    let row = db::run(&state.pool, move |conn| {
        Ok(tasks::get_task(conn, auth.tenant_id, id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(TaskView::from(row)))
}

/// Assigns the task to a staff user, or unassigns it.
#[utoipa::path(
    tag = "tasks",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = AssignRequest,
    responses(
        (status = 200, body = TaskView),
        (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem),
    )
)]
#[post("/tasks/{id}/assign")]
async fn assign_task(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: ValidJson<AssignRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::WriteGuests)?;
    let (id, assignee) = (id.into_inner(), body.into_inner().assignee_id);
    let row = db::transaction(&state.pool, move |conn| {
        tasks::get_task(conn, auth.tenant_id, id)?;
        check_assignee(conn, auth.tenant_id, assignee, "assignee_id")?;
        let row = tasks::assign_task(conn, auth.tenant_id, id, assignee)?;
        audit::record(conn, &auth, "task.assign", "task", id)?;
        Ok(row)
    })
    .await?;
    Ok(HttpResponse::Ok().json(TaskView::from(row)))
}

/// Records a contact attempt: `reached` or `wrong_number` close the task as
/// done, `no_answer` keeps it open, `call_back` keeps it open and moves it to
/// the call-back's day. The outcome goes on the guest's timeline. 409 if the
/// task is closed.
#[utoipa::path(
    tag = "tasks",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = OutcomeRequest,
    responses(
        (status = 200, body = TaskView),
        (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem),
    )
)]
#[post("/tasks/{id}/outcome")]
async fn record_outcome(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: ValidJson<OutcomeRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::WriteGuests)?;
    let id = id.into_inner();
    let request = body.into_inner();
    let (outcome, notes) = request.validate(Utc::now())?;
    let row = db::transaction(&state.pool, move |conn| {
        let record = OutcomeRecord {
            outcome,
            call_back_at: request.call_back_at,
            notes,
            actor: actor(&auth),
        };
        let row =
            tasks::record_outcome(conn, auth.tenant_id, id, &record)?.ok_or_else(task_closed)?;
        audit::record(conn, &auth, "task.outcome", "task", id)?;
        Ok(row)
    })
    .await?;
    Ok(HttpResponse::Ok().json(TaskView::from(row)))
}

/// Closes the task as `done` (default) or `cancelled`. 409 if it is closed.
#[utoipa::path(
    tag = "tasks",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = CloseRequest,
    responses(
        (status = 200, body = TaskView),
        (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem),
    )
)]
#[post("/tasks/{id}/close")]
async fn close_task(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: ValidJson<CloseRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::WriteGuests)?;
    let id = id.into_inner();
    let (status, notes) = body.into_inner().validate()?;
    let row = db::transaction(&state.pool, move |conn| {
        let row = tasks::close_task(
            conn,
            auth.tenant_id,
            id,
            status,
            notes.as_deref(),
            actor(&auth),
        )?
        .ok_or_else(task_closed)?;
        audit::record(conn, &auth, "task.close", "task", id)?;
        Ok(row)
    })
    .await?;
    Ok(HttpResponse::Ok().json(TaskView::from(row)))
}

fn task_closed() -> ApiError {
    ApiError::Conflict {
        code: "task_closed",
        detail: "This task is closed already.".to_owned(),
    }
}
