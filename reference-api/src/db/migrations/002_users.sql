-- Users, their sessions (only a hash of the token is stored), positions and risk alert rules.
CREATE TABLE users (
  id            serial PRIMARY KEY,
  username      text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  display_name  text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
  token_hash bytea PRIMARY KEY,
  user_id    integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

CREATE TABLE positions (
  user_id    integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  symbol     char(6) NOT NULL REFERENCES securities (symbol),
  quantity   integer NOT NULL CHECK (quantity > 0),
  cost_price numeric(14, 4) NOT NULL,
  PRIMARY KEY (user_id, symbol)
);

CREATE TABLE alert_rules (
  id         serial PRIMARY KEY,
  user_id    integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  symbol     char(6) REFERENCES securities (symbol),
  metric     text NOT NULL CHECK (metric IN ('price_above', 'price_below', 'var95_above', 'drawdown_above')),
  threshold  numeric(18, 6) NOT NULL CHECK (threshold > 0),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alert_rules_user_idx ON alert_rules (user_id);
