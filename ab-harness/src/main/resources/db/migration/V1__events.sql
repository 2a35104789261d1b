-- Portable across H2 and PostgreSQL. Times are epoch milliseconds.
CREATE TABLE experiments (
    id         VARCHAR(100) PRIMARY KEY,
    definition TEXT         NOT NULL,
    created_at BIGINT       NOT NULL
);

CREATE TABLE requests (
    request_id VARCHAR(36)  PRIMARY KEY,
    experiment VARCHAR(100) NOT NULL,
    arm        VARCHAR(20)  NOT NULL,
    user_id    VARCHAR(200) NOT NULL,
    created_at BIGINT       NOT NULL
);
CREATE INDEX requests_by_experiment ON requests (experiment, arm);

-- One row per (request, type, item): the primary key makes event intake idempotent.
CREATE TABLE events (
    request_id VARCHAR(36)      NOT NULL,
    type       VARCHAR(16)      NOT NULL,
    item_id    VARCHAR(200)     NOT NULL,
    experiment VARCHAR(100)     NOT NULL,
    arm        VARCHAR(20)      NOT NULL,
    user_id    VARCHAR(200)     NOT NULL,
    price      DOUBLE PRECISION,
    cold       BOOLEAN          NOT NULL,
    event_time BIGINT           NOT NULL,
    PRIMARY KEY (request_id, type, item_id)
);
CREATE INDEX events_by_experiment ON events (experiment, type);
