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
    campaign_clicks (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        campaign_id -> Uuid,
        guest_id -> Uuid,
        url -> Text,
        clicked_at -> Timestamptz,
    }
}

diesel::table! {
    campaign_recipients (campaign_id, guest_id) {
        tenant_id -> Uuid,
        campaign_id -> Uuid,
        guest_id -> Uuid,
        segment_id -> Nullable<Uuid>,
        send_after -> Timestamptz,
        message_id -> Nullable<Uuid>,
        error -> Nullable<Text>,
        opened_at -> Nullable<Timestamptz>,
        clicked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    campaigns (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        name -> Text,
        status -> Text,
        audience -> Jsonb,
        variants -> Jsonb,
        default_language -> Text,
        sender_name -> Nullable<Text>,
        schedule -> Text,
        send_at -> Nullable<Timestamptz>,
        local_date -> Nullable<Date>,
        local_time -> Nullable<Time>,
        rate_per_minute -> Int4,
        track_opens -> Bool,
        dispatch_seq -> Int4,
        recipients -> Nullable<Int4>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        started_at -> Nullable<Timestamptz>,
        finished_at -> Nullable<Timestamptz>,
        image_carriers -> Jsonb,
    }
}

diesel::table! {
    canned_responses (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        name -> Text,
        body -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    care_settings (tenant_id) {
        tenant_id -> Uuid,
        birthday_channel -> Nullable<Text>,
        voucher_prefix -> Text,
        voucher_valid_days -> Int4,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    care_tasks (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        kind -> Text,
        guest_id -> Uuid,
        assignee_id -> Nullable<Uuid>,
        due_on -> Date,
        status -> Text,
        title -> Text,
        script -> Nullable<Text>,
        context -> Jsonb,
        source -> Text,
        occurrence_key -> Nullable<Text>,
        outcome -> Nullable<Text>,
        outcome_notes -> Nullable<Text>,
        call_back_at -> Nullable<Timestamptz>,
        attempts -> Int4,
        closed_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
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
        marketing_cap -> Int4,
        marketing_cap_days -> Int4,
    }
}

diesel::table! {
    consent_events (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        guest_id -> Uuid,
        channel -> Text,
        purpose -> Text,
        status -> Text,
        occurred_at -> Timestamptz,
        source -> Text,
        actor_type -> Text,
        actor_id -> Nullable<Uuid>,
        note -> Nullable<Text>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    consents (guest_id, channel, purpose) {
        tenant_id -> Uuid,
        guest_id -> Uuid,
        channel -> Text,
        purpose -> Text,
        status -> Text,
        changed_at -> Timestamptz,
        event_id -> Uuid,
    }
}

diesel::table! {
    contact_plans (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        name -> Text,
        segment_id -> Uuid,
        every_days -> Int4,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    greeting_rules (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        occasion_key -> Text,
        audience -> Text,
        segment_id -> Nullable<Uuid>,
        channel -> Text,
        send_hour -> Int2,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    guest_code_counters (tenant_id) {
        tenant_id -> Uuid,
        last_number -> Int8,
    }
}

diesel::table! {
    guest_dates (guest_id, kind) {
        tenant_id -> Uuid,
        guest_id -> Uuid,
        kind -> Text,
        date -> Date,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    guest_merges (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        target_id -> Uuid,
        source_id -> Nullable<Uuid>,
        target_before -> Jsonb,
        moved -> Jsonb,
        changes -> Jsonb,
        actor_type -> Text,
        actor_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
        reverted_at -> Nullable<Timestamptz>,
        reverted_by -> Nullable<Uuid>,
        kind -> Text,
        intake -> Nullable<Jsonb>,
    }
}

diesel::table! {
    guests (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        code -> Int8,
        full_name -> Text,
        name_folded -> Text,
        national_id_sealed -> Nullable<Bytea>,
        national_id_digest -> Nullable<Bytea>,
        birth_date -> Nullable<Date>,
        gender -> Nullable<Text>,
        hometown -> Nullable<Text>,
        permanent_address -> Nullable<Text>,
        current_address -> Nullable<Text>,
        phones -> Array<Nullable<Text>>,
        email -> Nullable<Text>,
        relay_emails -> Array<Nullable<Text>>,
        chat_handles -> Jsonb,
        occupation -> Nullable<Text>,
        workplace -> Nullable<Text>,
        emergency_contact -> Nullable<Jsonb>,
        nationality -> Nullable<Text>,
        language -> Nullable<Text>,
        time_zone -> Nullable<Text>,
        source -> Nullable<Text>,
        needs -> Nullable<Text>,
        notes -> Nullable<Text>,
        tags -> Array<Nullable<Text>>,
        tier -> Nullable<Text>,
        care_period -> Nullable<Daterange>,
        merged_into -> Nullable<Uuid>,
        erased_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
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
    inbound_attachments (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        inbound_message_id -> Uuid,
        filename -> Text,
        content_type -> Text,
        size -> Int4,
        data -> Nullable<Bytea>,
    }
}

diesel::table! {
    inbound_messages (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        mailbox_id -> Nullable<Uuid>,
        uid_validity -> Int8,
        uid -> Int8,
        message_id -> Text,
        disposition -> Text,
        quarantine_reason -> Nullable<Text>,
        note -> Nullable<Text>,
        size -> Int4,
        raw -> Bytea,
        from_address -> Nullable<Text>,
        from_name -> Nullable<Text>,
        subject -> Nullable<Text>,
        in_reply_to -> Nullable<Text>,
        references -> Array<Nullable<Text>>,
        sent_at -> Nullable<Timestamptz>,
        body_text -> Nullable<Text>,
        body_html -> Nullable<Text>,
        guest_id -> Nullable<Uuid>,
        ticket_id -> Nullable<Uuid>,
        bounced_message_id -> Nullable<Uuid>,
        bounce_status -> Nullable<Text>,
        ack_message_id -> Nullable<Uuid>,
        acked_at -> Nullable<Timestamptz>,
        received_at -> Timestamptz,
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
    mailboxes (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        name -> Text,
        purpose -> Text,
        host -> Text,
        port -> Int4,
        security -> Text,
        username -> Text,
        secret_sealed -> Bytea,
        folder -> Text,
        processed_action -> Text,
        processed_folder -> Nullable<Text>,
        poll_interval_secs -> Int4,
        active -> Bool,
        uid_validity -> Nullable<Int8>,
        last_uid -> Int8,
        last_polled_at -> Nullable<Timestamptz>,
        last_error -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
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
        dedupe_key -> Nullable<Text>,
        in_reply_to -> Nullable<Text>,
        from_name -> Nullable<Text>,
        parts_of -> Nullable<Uuid>,
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
    reminder_rules (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        name -> Text,
        anchor -> Text,
        anchor_key -> Nullable<Text>,
        steps -> Jsonb,
        stop_on_new_stay -> Bool,
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
    segments (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        name -> Text,
        filter -> Jsonb,
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
    soft_bounces (tenant_id, address_digest) {
        tenant_id -> Uuid,
        address_digest -> Bytea,
        count -> Int4,
        last_at -> Timestamptz,
    }
}

diesel::table! {
    stays (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        guest_id -> Uuid,
        property -> Nullable<Text>,
        check_in -> Date,
        check_out -> Nullable<Date>,
        room_type -> Nullable<Text>,
        party_size -> Nullable<Int2>,
        booking_channel -> Nullable<Text>,
        amount_minor -> Nullable<Int8>,
        currency -> Nullable<Text>,
        notes -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
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
    survey_answers (response_id, question, position) {
        tenant_id -> Uuid,
        survey_id -> Uuid,
        response_id -> Uuid,
        question -> Int2,
        position -> Int2,
        choice -> Nullable<Int2>,
        text -> Nullable<Text>,
    }
}

diesel::table! {
    survey_recipients (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        survey_id -> Uuid,
        send_id -> Uuid,
        guest_id -> Uuid,
        reference -> Text,
        invitation_message_id -> Nullable<Uuid>,
        invited_at -> Nullable<Timestamptz>,
        reminder_message_id -> Nullable<Uuid>,
        reminded_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    survey_responses (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        survey_id -> Uuid,
        recipient_id -> Uuid,
        guest_id -> Uuid,
        channel -> Text,
        language -> Text,
        answers -> Jsonb,
        remarks -> Nullable<Text>,
        submitted_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    survey_sends (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        survey_id -> Uuid,
        segment_id -> Nullable<Uuid>,
        sample_size -> Nullable<Int4>,
        seed -> Nullable<Int8>,
        remind_after_days -> Nullable<Int4>,
        recipients -> Int4,
        finished_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    surveys (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        title -> Jsonb,
        questions -> Jsonb,
        closes_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
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
    ticket_attachments (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        ticket_id -> Uuid,
        file_name -> Text,
        content_type -> Text,
        byte_size -> Int4,
        sha256 -> Bytea,
        bytes -> Bytea,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    ticket_checklists (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        problem_type -> Text,
        steps -> Array<Nullable<Text>>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    ticket_counters (tenant_id) {
        tenant_id -> Uuid,
        last_number -> Int8,
    }
}

diesel::table! {
    ticket_entries (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        ticket_id -> Uuid,
        kind -> Text,
        body_text -> Nullable<Text>,
        body_html -> Nullable<Text>,
        inbound_message_id -> Nullable<Uuid>,
        message_id -> Nullable<Uuid>,
        data -> Jsonb,
        actor_type -> Text,
        actor_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    ticket_ratings (ticket_id) {
        ticket_id -> Uuid,
        tenant_id -> Uuid,
        rating -> Text,
        comment -> Nullable<Text>,
        agent_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    ticket_settings (tenant_id) {
        tenant_id -> Uuid,
        departments -> Array<Nullable<Text>>,
        first_reply_hours -> Int4,
        resolution_hours -> Int4,
        warn_before_hours -> Int4,
        service_window_days -> Int4,
        business_window_days -> Int4,
        satisfaction_after_hours -> Int4,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    tickets (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        number -> Int8,
        channel -> Text,
        category -> Text,
        department -> Text,
        priority -> Text,
        status -> Text,
        subject -> Text,
        guest_id -> Nullable<Uuid>,
        assignee_id -> Nullable<Uuid>,
        last_guest_message_id -> Nullable<Text>,
        incident_on -> Nullable<Date>,
        complaint_type -> Nullable<Text>,
        within_window -> Nullable<Bool>,
        final_outcome -> Nullable<Text>,
        round -> Int4,
        clock_started_at -> Timestamptz,
        paused_secs -> Int8,
        paused_since -> Nullable<Timestamptz>,
        first_replied_at -> Nullable<Timestamptz>,
        resolved_at -> Nullable<Timestamptz>,
        closed_at -> Nullable<Timestamptz>,
        first_reply_warned_at -> Nullable<Timestamptz>,
        first_reply_breached_at -> Nullable<Timestamptz>,
        resolution_warned_at -> Nullable<Timestamptz>,
        resolution_breached_at -> Nullable<Timestamptz>,
        merged_into -> Nullable<Uuid>,
        checklist -> Jsonb,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    tier_changes (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        guest_id -> Uuid,
        tier -> Nullable<Text>,
        previous -> Nullable<Text>,
        reason -> Nullable<Text>,
        actor_type -> Text,
        actor_id -> Nullable<Uuid>,
        changed_at -> Timestamptz,
    }
}

diesel::table! {
    timeline_entries (id) {
        id -> Uuid,
        tenant_id -> Uuid,
        guest_id -> Uuid,
        kind -> Text,
        occurred_at -> Timestamptz,
        summary -> Jsonb,
        ref_id -> Nullable<Uuid>,
        actor_type -> Text,
        actor_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
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
diesel::joinable!(campaign_clicks -> campaigns (campaign_id));
diesel::joinable!(campaign_clicks -> tenants (tenant_id));
diesel::joinable!(campaign_recipients -> campaigns (campaign_id));
diesel::joinable!(campaign_recipients -> guests (guest_id));
diesel::joinable!(campaign_recipients -> messages (message_id));
diesel::joinable!(campaign_recipients -> tenants (tenant_id));
diesel::joinable!(campaigns -> tenants (tenant_id));
diesel::joinable!(canned_responses -> tenants (tenant_id));
diesel::joinable!(care_settings -> tenants (tenant_id));
diesel::joinable!(care_tasks -> guests (guest_id));
diesel::joinable!(care_tasks -> tenants (tenant_id));
diesel::joinable!(care_tasks -> users (assignee_id));
diesel::joinable!(channel_settings -> tenants (tenant_id));
diesel::joinable!(consent_events -> guests (guest_id));
diesel::joinable!(consent_events -> tenants (tenant_id));
diesel::joinable!(consents -> guests (guest_id));
diesel::joinable!(consents -> tenants (tenant_id));
diesel::joinable!(contact_plans -> segments (segment_id));
diesel::joinable!(contact_plans -> tenants (tenant_id));
diesel::joinable!(greeting_rules -> segments (segment_id));
diesel::joinable!(greeting_rules -> tenants (tenant_id));
diesel::joinable!(guest_code_counters -> tenants (tenant_id));
diesel::joinable!(guest_dates -> guests (guest_id));
diesel::joinable!(guest_dates -> tenants (tenant_id));
diesel::joinable!(guest_merges -> tenants (tenant_id));
diesel::joinable!(guests -> tenants (tenant_id));
diesel::joinable!(idempotency_keys -> tenants (tenant_id));
diesel::joinable!(import_rows -> imports (import_id));
diesel::joinable!(import_rows -> tenants (tenant_id));
diesel::joinable!(imports -> tenants (tenant_id));
diesel::joinable!(inbound_attachments -> inbound_messages (inbound_message_id));
diesel::joinable!(inbound_attachments -> tenants (tenant_id));
diesel::joinable!(inbound_messages -> guests (guest_id));
diesel::joinable!(inbound_messages -> mailboxes (mailbox_id));
diesel::joinable!(inbound_messages -> tenants (tenant_id));
diesel::joinable!(inbound_messages -> tickets (ticket_id));
diesel::joinable!(jobs -> tenants (tenant_id));
diesel::joinable!(mailboxes -> tenants (tenant_id));
diesel::joinable!(message_parts -> messages (message_id));
diesel::joinable!(message_parts -> tenants (tenant_id));
diesel::joinable!(messages -> tenants (tenant_id));
diesel::joinable!(occasions -> tenants (tenant_id));
diesel::joinable!(reminder_rules -> tenants (tenant_id));
diesel::joinable!(schedules -> tenants (tenant_id));
diesel::joinable!(segments -> tenants (tenant_id));
diesel::joinable!(sessions -> tenants (tenant_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(soft_bounces -> tenants (tenant_id));
diesel::joinable!(stays -> guests (guest_id));
diesel::joinable!(stays -> tenants (tenant_id));
diesel::joinable!(suppressions -> tenants (tenant_id));
diesel::joinable!(survey_answers -> survey_responses (response_id));
diesel::joinable!(survey_answers -> surveys (survey_id));
diesel::joinable!(survey_answers -> tenants (tenant_id));
diesel::joinable!(survey_recipients -> guests (guest_id));
diesel::joinable!(survey_recipients -> survey_sends (send_id));
diesel::joinable!(survey_recipients -> surveys (survey_id));
diesel::joinable!(survey_recipients -> tenants (tenant_id));
diesel::joinable!(survey_responses -> guests (guest_id));
diesel::joinable!(survey_responses -> survey_recipients (recipient_id));
diesel::joinable!(survey_responses -> surveys (survey_id));
diesel::joinable!(survey_responses -> tenants (tenant_id));
diesel::joinable!(survey_sends -> segments (segment_id));
diesel::joinable!(survey_sends -> surveys (survey_id));
diesel::joinable!(survey_sends -> tenants (tenant_id));
diesel::joinable!(surveys -> tenants (tenant_id));
diesel::joinable!(templates -> tenants (tenant_id));
diesel::joinable!(ticket_attachments -> tenants (tenant_id));
diesel::joinable!(ticket_attachments -> tickets (ticket_id));
diesel::joinable!(ticket_checklists -> tenants (tenant_id));
diesel::joinable!(ticket_counters -> tenants (tenant_id));
diesel::joinable!(ticket_entries -> messages (message_id));
diesel::joinable!(ticket_entries -> tenants (tenant_id));
diesel::joinable!(ticket_entries -> tickets (ticket_id));
diesel::joinable!(ticket_ratings -> tenants (tenant_id));
diesel::joinable!(ticket_ratings -> tickets (ticket_id));
diesel::joinable!(ticket_ratings -> users (agent_id));
diesel::joinable!(ticket_settings -> tenants (tenant_id));
diesel::joinable!(tickets -> guests (guest_id));
diesel::joinable!(tickets -> tenants (tenant_id));
diesel::joinable!(tickets -> users (assignee_id));
diesel::joinable!(tier_changes -> guests (guest_id));
diesel::joinable!(tier_changes -> tenants (tenant_id));
diesel::joinable!(timeline_entries -> guests (guest_id));
diesel::joinable!(timeline_entries -> tenants (tenant_id));
diesel::joinable!(users -> tenants (tenant_id));
diesel::joinable!(webhook_deliveries -> tenants (tenant_id));
diesel::joinable!(webhook_deliveries -> webhook_endpoints (endpoint_id));
diesel::joinable!(webhook_endpoints -> tenants (tenant_id));

diesel::allow_tables_to_appear_in_same_query!(
    api_keys,
    assets,
    audit_log,
    campaign_clicks,
    campaign_recipients,
    campaigns,
    canned_responses,
    care_settings,
    care_tasks,
    channel_settings,
    consent_events,
    consents,
    contact_plans,
    greeting_rules,
    guest_code_counters,
    guest_dates,
    guest_merges,
    guests,
    idempotency_keys,
    import_rows,
    imports,
    inbound_attachments,
    inbound_messages,
    jobs,
    login_failures,
    mailboxes,
    message_parts,
    messages,
    occasions,
    reminder_rules,
    schedules,
    segments,
    sessions,
    soft_bounces,
    stays,
    suppressions,
    survey_answers,
    survey_recipients,
    survey_responses,
    survey_sends,
    surveys,
    templates,
    tenants,
    ticket_attachments,
    ticket_checklists,
    ticket_counters,
    ticket_entries,
    ticket_ratings,
    ticket_settings,
    tickets,
    tier_changes,
    timeline_entries,
    users,
    webhook_deliveries,
    webhook_endpoints,
    worker_probes,
);
