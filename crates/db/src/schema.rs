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
    assets (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        public_token -> Text,
        file_name -> Text,
        content_type -> Text,
        byte_size -> Int4,
        sha256 -> Bytea,
        bytes -> Bytea,
        created_at -> Timestamptz,
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
    channel_settings (tenant_id) {
        tenant_id -> Uuid,
        smtp_host -> Nullable<Text>,
        smtp_port -> Nullable<Int4>,
        smtp_security -> Nullable<Text>,
        smtp_username -> Nullable<Text>,
        smtp_password_sealed -> Nullable<Bytea>,
        mail_from -> Nullable<Text>,
        mail_domain -> Nullable<Text>,
        sms_provider -> Nullable<Text>,
        sms_config -> Jsonb,
        sms_secret_sealed -> Nullable<Bytea>,
        quiet_start -> Time,
        quiet_end -> Time,
        updated_at -> Timestamptz,
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
    message_parts (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        message_id -> Uuid,
        disposition -> Text,
        content_id -> Nullable<Text>,
        filename -> Text,
        content_type -> Text,
        data -> Bytea,
    }
}

diesel::table! {
    messages (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        guest_id -> Nullable<Uuid>,
        channel -> Text,
        purpose -> Text,
        category -> Text,
        template_key -> Nullable<Text>,
        language -> Nullable<Text>,
        recipient -> Text,
        time_zone -> Nullable<Text>,
        subject -> Nullable<Text>,
        body_text -> Text,
        body_html -> Nullable<Text>,
        unsubscribe_url -> Nullable<Text>,
        status -> Text,
        suppression_reason -> Nullable<Text>,
        provider_id -> Nullable<Text>,
        attempts -> Int4,
        last_error -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        sent_at -> Nullable<Timestamptz>,
        failed_at -> Nullable<Timestamptz>,
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
    schedules (id) {
        id -> Uuid,
        tenant_id -> Nullable<Uuid>,
        name -> Text,
        cron -> Text,
        time_zone -> Text,
        queue -> Text,
        kind -> Text,
        payload -> Jsonb,
        active -> Bool,
        next_run_at -> Timestamptz,
        last_occurrence_at -> Nullable<Timestamptz>,
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
    suppressions (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        channel -> Text,
        address_digest -> Bytea,
        reason -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    templates (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        purpose -> Text,
        channel -> Text,
        language -> Text,
        subject -> Nullable<Text>,
        html -> Nullable<Text>,
        body -> Text,
        strip_diacritics -> Bool,
        inline_asset_ids -> Array<Nullable<Uuid>>,
        attachment_ids -> Array<Nullable<Uuid>>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
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

diesel::table! {
    webhook_deliveries (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        endpoint_id -> Uuid,
        event_type -> Text,
        payload -> Jsonb,
        status -> Text,
        attempts -> Int4,
        last_status_code -> Nullable<Int4>,
        last_duration_ms -> Nullable<Int4>,
        last_error -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        delivered_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    webhook_endpoints (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        url -> Text,
        description -> Text,
        secret_sealed -> Bytea,
        event_types -> Array<Nullable<Text>>,
        status -> Text,
        disabled_reason -> Nullable<Text>,
        failing_since -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    worker_probes (id) {
        id -> Int8,
        job_id -> Uuid,
        attempt -> Int4,
        worker -> Text,
        label -> Text,
        created_at -> Timestamptz,
    }
}

diesel::joinable!(api_keys -> tenants (tenant_id));
diesel::joinable!(api_keys -> users (created_by));
diesel::joinable!(assets -> tenants (tenant_id));
diesel::joinable!(audit_log -> tenants (tenant_id));
diesel::joinable!(channel_settings -> tenants (tenant_id));
diesel::joinable!(idempotency_keys -> tenants (tenant_id));
diesel::joinable!(jobs -> tenants (tenant_id));
diesel::joinable!(message_parts -> messages (message_id));
diesel::joinable!(message_parts -> tenants (tenant_id));
diesel::joinable!(messages -> tenants (tenant_id));
diesel::joinable!(occasions -> tenants (tenant_id));
diesel::joinable!(schedules -> tenants (tenant_id));
diesel::joinable!(sessions -> tenants (tenant_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(suppressions -> tenants (tenant_id));
diesel::joinable!(templates -> tenants (tenant_id));
diesel::joinable!(users -> tenants (tenant_id));
diesel::joinable!(webhook_deliveries -> tenants (tenant_id));
diesel::joinable!(webhook_deliveries -> webhook_endpoints (endpoint_id));
diesel::joinable!(webhook_endpoints -> tenants (tenant_id));

diesel::allow_tables_to_appear_in_same_query!(
    api_keys,
    assets,
    audit_log,
    channel_settings,
    idempotency_keys,
    jobs,
    login_failures,
    message_parts,
    messages,
    occasions,
    schedules,
    sessions,
    suppressions,
    templates,
    tenants,
    users,
    webhook_deliveries,
    webhook_endpoints,
    worker_probes,
);
