-- Surveys: questions in several languages, sent to a segment or a seeded
-- sample of it, answered on a signed web page or by e-mail reply.
CREATE TABLE surveys (
    id         uuid PRIMARY KEY,
    tenant_id  uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    -- {"vi": …, "en": …, "zh-Hant": …}: its keys are the survey's languages.
    title      jsonb NOT NULL,
    -- [{"text": {…}, "type": …, "required": …, "options": [{…}]}], numbered 1….
    questions  jsonb NOT NULL,
    closes_at  timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX surveys_tenant_idx ON surveys (tenant_id, id);

-- One sending: the guests it chose are its recipients.
CREATE TABLE survey_sends (
    id                 uuid PRIMARY KEY,
    tenant_id          uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    survey_id          uuid NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    segment_id         uuid REFERENCES segments (id) ON DELETE SET NULL,
    sample_size        integer CHECK (sample_size >= 1),
    seed               bigint,
    remind_after_days  integer CHECK (remind_after_days BETWEEN 1 AND 90),
    recipients         integer NOT NULL,
    finished_at        timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    CHECK ((sample_size IS NULL) = (seed IS NULL))
);
CREATE INDEX survey_sends_survey_idx ON survey_sends (tenant_id, survey_id, id);

-- A guest invited to a survey (once per survey, whatever the sends); the
-- signed link names this row. `reference` goes in the e-mail's subject.
CREATE TABLE survey_recipients (
    id                    uuid PRIMARY KEY,
    tenant_id             uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    survey_id             uuid NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    send_id               uuid NOT NULL REFERENCES survey_sends (id) ON DELETE CASCADE,
    guest_id              uuid NOT NULL REFERENCES guests (id) ON DELETE CASCADE,
    reference             text NOT NULL CHECK (reference ~ '^S-[0-9A-Z]{10}$'),
    invitation_message_id uuid REFERENCES messages (id) ON DELETE SET NULL,
    invited_at            timestamptz,
    reminder_message_id   uuid REFERENCES messages (id) ON DELETE SET NULL,
    reminded_at           timestamptz,
    created_at            timestamptz NOT NULL DEFAULT now(),
    UNIQUE (survey_id, guest_id),
    UNIQUE (tenant_id, reference)
);
CREATE INDEX survey_recipients_pending_idx ON survey_recipients (send_id, id) WHERE invited_at IS NULL;
CREATE INDEX survey_recipients_invitation_idx ON survey_recipients (tenant_id, invitation_message_id);
CREATE INDEX survey_recipients_reminder_idx ON survey_recipients (tenant_id, reminder_message_id);
CREATE INDEX survey_recipients_guest_idx ON survey_recipients (tenant_id, guest_id);

-- One response per recipient, replaced when the guest edits it.
CREATE TABLE survey_responses (
    id           uuid PRIMARY KEY,
    tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    survey_id    uuid NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    recipient_id uuid NOT NULL UNIQUE REFERENCES survey_recipients (id) ON DELETE CASCADE,
    guest_id     uuid NOT NULL REFERENCES guests (id) ON DELETE CASCADE,
    channel      text NOT NULL CHECK (channel IN ('web', 'email')),
    language     text NOT NULL,
    -- {"1": {"choices": [1]}, "2": {"rating": 4}, "3": {"text": "…"}}
    answers      jsonb NOT NULL,
    -- Text of an e-mail reply that answered no question.
    remarks      text,
    submitted_at timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX survey_responses_survey_idx ON survey_responses (tenant_id, survey_id, id);

-- The answers of a response flattened for counting: one row per chosen
-- option (its index), rating (its value) or free text.
CREATE TABLE survey_answers (
    tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    survey_id   uuid NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    response_id uuid NOT NULL REFERENCES survey_responses (id) ON DELETE CASCADE,
    question    smallint NOT NULL CHECK (question >= 1),
    position    smallint NOT NULL CHECK (position >= 0),
    choice      smallint,
    text        text,
    PRIMARY KEY (response_id, question, position),
    CHECK ((choice IS NULL) <> (text IS NULL))
);
CREATE INDEX survey_answers_survey_idx ON survey_answers (tenant_id, survey_id, question);
