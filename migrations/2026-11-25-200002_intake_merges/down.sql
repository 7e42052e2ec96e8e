DELETE FROM guest_merges WHERE kind = 'intake';
ALTER TABLE guest_merges
    DROP CONSTRAINT guest_merges_kind_check2,
    DROP CONSTRAINT guest_merges_kind_check1,
    DROP COLUMN intake,
    DROP COLUMN kind,
    ALTER COLUMN source_id SET NOT NULL;
