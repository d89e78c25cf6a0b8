-- Market data of the deterministic seed: securities, indices, the trading calendar, daily bars and fund flows.
CREATE TABLE securities (
  symbol   char(6) PRIMARY KEY CHECK (symbol ~ '^[0-9]{6}$'),
  name     text NOT NULL,
  sector   text NOT NULL,
  industry text NOT NULL
);
CREATE INDEX securities_sector_idx ON securities (sector);

CREATE TABLE market_indices (
  code char(6) PRIMARY KEY,
  name text NOT NULL
);

CREATE TABLE trading_days (
  date date PRIMARY KEY
);

-- Money as numeric with 2 decimals (exact), prices with up to 4; volume in shares.
CREATE TABLE bars (
  symbol char(6) NOT NULL REFERENCES securities (symbol) ON DELETE CASCADE,
  date   date NOT NULL,
  open   numeric(14, 4) NOT NULL,
  high   numeric(14, 4) NOT NULL,
  low    numeric(14, 4) NOT NULL,
  close  numeric(14, 4) NOT NULL,
  volume bigint NOT NULL,
  amount numeric(20, 2) NOT NULL,
  PRIMARY KEY (symbol, date)
);

CREATE TABLE index_bars (
  code   char(6) NOT NULL REFERENCES market_indices (code) ON DELETE CASCADE,
  date   date NOT NULL,
  open   numeric(14, 4) NOT NULL,
  high   numeric(14, 4) NOT NULL,
  low    numeric(14, 4) NOT NULL,
  close  numeric(14, 4) NOT NULL,
  volume bigint NOT NULL,
  amount numeric(22, 2) NOT NULL,
  PRIMARY KEY (code, date)
);

CREATE TABLE fund_flows (
  symbol            char(6) NOT NULL REFERENCES securities (symbol) ON DELETE CASCADE,
  date              date NOT NULL,
  main_net_inflow   numeric(20, 2) NOT NULL,
  retail_net_inflow numeric(20, 2) NOT NULL,
  PRIMARY KEY (symbol, date)
);
CREATE INDEX fund_flows_date_idx ON fund_flows (date);
