// @generated automatically by Diesel CLI.

diesel::table! {
    api_keys (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        name -> Text,
        prefix -> Text,
        secret_hash -> Bytea,
        role -> Text,
        created_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        last_used_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        actor_type -> Text,
        actor_id -> Nullable<Uuid>,
        action -> Text,
        object_type -> Text,
        object_id -> Nullable<Text>,
        request_id -> Nullable<Text>,
        occurred_at -> Timestamptz,
    }
}

diesel::table! {
    idempotency_keys (tenant_id, key) {
        tenant_id -> Uuid,
        key -> Text,
        request_hash -> Bytea,
        status_code -> Int2,
        response_body -> Jsonb,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    import_rows (import_id, row_number) {
        import_id -> Uuid,
        row_number -> Int8,
        tenant_id -> Uuid,
        outcome -> Text,
        guest_id -> Nullable<Uuid>,
        column_name -> Nullable<Text>,
        code -> Nullable<Text>,
        reason -> Nullable<Text>,
        raw -> Nullable<Jsonb>,
    }
}

diesel::table! {
    imports (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        status -> Text,
        format -> Text,
        filename -> Text,
        content -> Bytea,
        size_bytes -> Int8,
        rows_total -> Nullable<Int8>,
        rows_done -> Int8,
        last_row -> Int8,
        created_count -> Int8,
        merged_count -> Int8,
        unchanged_count -> Int8,
        rejected_count -> Int8,
        error -> Nullable<Text>,
        created_at -> Timestamptz,
        started_at -> Nullable<Timestamptz>,
        finished_at -> Nullable<Timestamptz>,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    jobs (id) {
        id -> Uuid,
        tenant_id -> Nullable<Uuid>,
        queue -> Text,
        kind -> Text,
        payload -> Jsonb,
        status -> Text,
        priority -> Int2,
        run_at -> Timestamptz,
        attempts -> Int4,
        max_attempts -> Int4,
        locked_by -> Nullable<Text>,
        locked_until -> Nullable<Timestamptz>,
        last_error -> Nullable<Text>,
        dedupe_key -> Nullable<Text>,
        created_at -> Timestamptz,
        started_at -> Nullable<Timestamptz>,
        finished_at -> Nullable<Timestamptz>,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    login_failures (id) {
        id -> Int8,
        account -> Bytea,
        client_ip -> Text,
        failed_at -> Timestamptz,
    }
}

diesel::table! {
    occasions (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        key -> Text,
        name_vi -> Text,
        name_en -> Text,
        name_zh_hant -> Text,
        kind -> Text,
        month -> Int2,
        day -> Int2,
        leap -> Bool,
        lunar_calendar -> Nullable<Text>,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    sessions (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        user_id -> Uuid,
        token_hash -> Bytea,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    tenants (id) {
        id -> Uuid,
        slug -> Text,
        name -> Text,
        country -> Text,
        default_language -> Text,
        time_zone -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    users (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        email -> Text,
        display_name -> Text,
        role -> Text,
        password_hash -> Text,
        disabled_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::joinable!(api_keys -> tenants (tenant_id));
diesel::joinable!(api_keys -> users (created_by));
diesel::joinable!(audit_log -> tenants (tenant_id));
diesel::joinable!(idempotency_keys -> tenants (tenant_id));
diesel::joinable!(import_rows -> imports (import_id));
diesel::joinable!(import_rows -> tenants (tenant_id));
diesel::joinable!(imports -> tenants (tenant_id));
diesel::joinable!(jobs -> tenants (tenant_id));
diesel::joinable!(occasions -> tenants (tenant_id));
diesel::joinable!(sessions -> tenants (tenant_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(users -> tenants (tenant_id));

diesel::allow_tables_to_appear_in_same_query!(
    api_keys,
    audit_log,
    idempotency_keys,
    import_rows,
    imports,
    jobs,
    login_failures,
    occasions,
    sessions,
    tenants,
    users,
);
