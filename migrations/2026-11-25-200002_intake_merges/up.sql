-- Merges made by identity resolution (an intake folded into a known guest)
-- are recorded like merges by hand, so that they can be reverted too: `intake`
-- keeps the arriving profile (its national ID sealed), `source_id` is set to
-- the guest that reverting creates from it.
ALTER TABLE guest_merges
    ALTER COLUMN source_id DROP NOT NULL,
    ADD COLUMN kind text NOT NULL DEFAULT 'manual' CHECK (kind IN ('manual', 'intake')),
    ADD COLUMN intake jsonb,
    ADD CONSTRAINT guest_merges_kind_check1 CHECK (kind = 'intake' OR source_id IS NOT NULL),
    ADD CONSTRAINT guest_merges_kind_check2 CHECK ((kind = 'intake') = (intake IS NOT NULL));
