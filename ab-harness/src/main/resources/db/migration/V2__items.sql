-- Items added to an experiment's catalogue after its data set (POST /v1/admin/experiments/{id}/items), in the
-- order they joined it (position 0 is the first item after the data set's), each with its SID and
-- de-duplication code under each arm's model (codes as comma-separated text) and its price, if any.
CREATE TABLE items (
    experiment    VARCHAR(100)     NOT NULL,
    position      INTEGER          NOT NULL,
    item_id       VARCHAR(200)     NOT NULL,
    price         DOUBLE PRECISION,
    control_sid   VARCHAR(200)     NOT NULL,
    control_d     INTEGER          NOT NULL,
    treatment_sid VARCHAR(200)     NOT NULL,
    treatment_d   INTEGER          NOT NULL,
    added_at      BIGINT           NOT NULL,
    PRIMARY KEY (experiment, position),
    UNIQUE (experiment, item_id)
);
