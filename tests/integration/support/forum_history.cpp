// A realistic migration history for tests that apply a whole set.
#include "support/forum_history.hpp"


namespace pgmig_test {
namespace {

const char* const tables[] = {
    "person",       "community",      "post",           "comment",          "post_vote",         "comment_vote",
    "private_message", "notification", "tag",           "post_tag",         "moderator",         "community_ban",
    "report",       "saved_post",     "follow",         "site",             "instance",          "federation_queue",
    "image",        "email_verification", "password_reset", "login_session", "audit_event",      "custom_emoji",
    "language",     "tagline",        "admin_purge",    "mod_log",          "registration",      "captcha",
    "draft",        "poll"};
constexpr std::size_t table_count = sizeof tables / sizeof tables[0];

// Lookup tables that migrations seed with rows (no NOT NULL column without default is added to them).
bool seeded(const std::string& t) { return t == "site" || t == "instance" || t == "language" || t == "tagline"; }

struct history {
    std::vector<std::pair<std::string, std::string>> files;
    int day = 0;

    // 2019-01-01 plus `day` days, at 12:00:00 + n seconds: YYYYMMDD_HHMMSS.
    std::string stamp() {
        static const int month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        int y = 2019, m = 0, d = day;
        while (true) {
            const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            const int len = month_days[m] + (m == 1 && leap ? 1 : 0);
            if (d < len) break;
            d -= len;
            if (++m == 12) {
                m = 0;
                ++y;
            }
        }
        const auto two = [](int n) { return std::string(n < 10 ? "0" : "") + std::to_string(n); };
        day += 3;
        return std::to_string(y) + two(m + 1) + two(d + 1) + "_120000";
    }

    void add(const std::string& name, const std::string& up, const std::string& down) {
        files.emplace_back(stamp() + "_" + name + ".sql",
                           "-- DIRECTION: up\n" + up + "\n-- DIRECTION: down\n" + down + "\n");
    }
};

} // namespace

std::vector<std::pair<std::string, std::string>> forum_history(std::size_t entities) {
    if (entities > table_count) entities = table_count;
    history h;
    h.add("utilities",
          "CREATE SCHEMA utils;\n"
          "CREATE FUNCTION utils.touch_updated() RETURNS trigger LANGUAGE plpgsql AS $$\n"
          "BEGIN\n"
          "    IF NEW IS DISTINCT FROM OLD AND NEW.updated IS NOT DISTINCT FROM OLD.updated THEN\n"
          "        NEW.updated := now();\n"
          "    END IF;\n"
          "    RETURN NEW;\n"
          "END $$;\n",
          "DROP SCHEMA utils CASCADE;");
    h.add("listing_type", "CREATE TYPE listing_type AS ENUM ('all', 'local');", "DROP TYPE listing_type;");
    h.add("hex_color", "CREATE DOMAIN hex_color AS text;", "DROP DOMAIN hex_color;");
    h.add("changeme_function",
          "CREATE FUNCTION generate_changeme() RETURNS text LANGUAGE sql AS $$\n"
          "    SELECT 'changeme_' || string_agg(substr('abcdefghijklmnopqrstuvwxyz0123456789', ceil(random() * 36)::int, 1), '')\n"
          "    FROM generate_series(1, 20)\n"
          "$$;",
          "DROP FUNCTION generate_changeme();");

    for (std::size_t i = 0; i < entities; ++i) {
        const std::string t = tables[i];
        const std::string parent = i > 0 ? tables[i - 1] : "";
        const bool lookup = seeded(t);
        // 1. the table, as first written
        std::string create = "CREATE TABLE " + t + " (\n    id serial PRIMARY KEY,\n    name varchar(100) NOT NULL,\n";
        if (!parent.empty()) create += "    " + parent + "_id int REFERENCES " + parent + " ON UPDATE CASCADE ON DELETE CASCADE,\n";
        create += "    published timestamp NOT NULL DEFAULT now()\n);\nCREATE INDEX idx_" + t + "_published ON " + t + " (published DESC);";
        if (lookup) create += "\nINSERT INTO " + t + " (name) VALUES ('" + t + " default');";
        h.add("create_" + t, create, "DROP TABLE " + t + ";");
        // 2. more columns
        h.add("add_" + t + "_columns",
              "ALTER TABLE " + t + " ADD COLUMN updated timestamp;\n"
              "ALTER TABLE " + t + " ADD COLUMN deleted boolean NOT NULL DEFAULT false;\n"
              "ALTER TABLE " + t + " ADD COLUMN score int NOT NULL" + (lookup ? " DEFAULT 0" : "") + ";",
              "ALTER TABLE " + t + " DROP COLUMN score, DROP COLUMN deleted, DROP COLUMN updated;");
        // 3. an index for a new query
        h.add("index_" + t + "_name", "CREATE INDEX idx_" + t + "_name ON " + t + " (lower(name));",
              "DROP INDEX idx_" + t + "_name;");
        // 4. the missing foreign key index, and a CHECK
        std::string fk = "ALTER TABLE " + t + " ADD CONSTRAINT " + t + "_name_not_blank CHECK (char_length(name) > 0);";
        if (!parent.empty()) fk = "CREATE INDEX idx_" + t + "_" + parent + " ON " + t + " (" + parent + "_id);\n" + fk;
        h.add(t + "_constraints", fk,
              "ALTER TABLE " + t + " DROP CONSTRAINT " + t + "_name_not_blank;" +
                  (parent.empty() ? std::string() : "\nDROP INDEX idx_" + t + "_" + parent + ";"));
        // 5. backfill, then 6. enforce
        h.add("backfill_" + t + "_updated", "UPDATE " + t + " SET updated = published;",
              "UPDATE " + t + " SET updated = NULL;");
        h.add(t + "_updated_not_null",
              "ALTER TABLE " + t + " ALTER COLUMN updated SET NOT NULL;\n"
              "ALTER TABLE " + t + " ALTER COLUMN updated SET DEFAULT now();\n"
              "CREATE TRIGGER " + t + "_touch BEFORE UPDATE ON " + t +
                  " FOR EACH ROW EXECUTE FUNCTION utils.touch_updated();",
              "DROP TRIGGER " + t + "_touch ON " + t + ";\n"
              "ALTER TABLE " + t + " ALTER COLUMN updated DROP DEFAULT;\n"
              "ALTER TABLE " + t + " ALTER COLUMN updated DROP NOT NULL;");
        // 7. a rename, 8. retyping
        h.add("rename_" + t + "_name", "ALTER TABLE " + t + " RENAME COLUMN name TO title;",
              "ALTER TABLE " + t + " RENAME COLUMN title TO name;");
        h.add(t + "_types",
              "ALTER TABLE " + t + " ALTER COLUMN title TYPE text;\n"
              "ALTER TABLE " + t + " ALTER COLUMN published TYPE timestamptz, ALTER COLUMN updated TYPE timestamptz;\n"
              "ALTER TABLE " + t + " ALTER COLUMN id TYPE bigint;",
              "ALTER TABLE " + t + " ALTER COLUMN published TYPE timestamp, ALTER COLUMN updated TYPE timestamp;");
        // 9. uniqueness
        h.add(t + "_unique_title", "ALTER TABLE " + t + " ADD CONSTRAINT " + t + "_title_key UNIQUE (title);",
              "ALTER TABLE " + t + " DROP CONSTRAINT " + t + "_title_key;");
        // 10. the soft-delete flag goes (every other table), or federation ids arrive
        if (i % 2 == 0)
            h.add("drop_" + t + "_deleted", "ALTER TABLE " + t + " DROP COLUMN deleted;",
                  "ALTER TABLE " + t + " ADD COLUMN deleted boolean NOT NULL DEFAULT false;");
        else
            h.add(t + "_ap_id",
                  "ALTER TABLE " + t + " ADD COLUMN ap_id uuid NOT NULL DEFAULT gen_random_uuid();\n"
                  "ALTER TABLE " + t + " ADD COLUMN actor_name varchar(255) NOT NULL DEFAULT generate_changeme();",
                  "ALTER TABLE " + t + " DROP COLUMN actor_name, DROP COLUMN ap_id;");

        // Set-wide changes along the way.
        if (i == 1) {
            h.add("community_listing",
                  "ALTER TABLE community ADD COLUMN listing listing_type NOT NULL DEFAULT 'all';\n"
                  "ALTER TABLE community ADD COLUMN color hex_color;",
                  "ALTER TABLE community DROP COLUMN color, DROP COLUMN listing;");
            h.add("listing_subscribed", "ALTER TYPE listing_type ADD VALUE 'subscribed';", "SELECT 1;");
            h.add("hex_color_check", "ALTER DOMAIN hex_color ADD CONSTRAINT hex_color_format CHECK (VALUE ~ '^#[0-9a-f]{6}$');",
                  "ALTER DOMAIN hex_color DROP CONSTRAINT hex_color_format;");
        }
        if (i == 3) {
            h.add("post_view",
                  "CREATE VIEW post_view AS\n"
                  "SELECT p.id, p.title, c.title AS community, p.published\n"
                  "FROM post p JOIN community c ON c.id = p.community_id;",
                  "DROP VIEW post_view;");
            h.add("post_stats",
                  "CREATE MATERIALIZED VIEW post_stats AS\n"
                  "SELECT p.id AS post_id, count(c.id) AS comments\n"
                  "FROM post p LEFT JOIN comment c ON c.post_id = p.id GROUP BY p.id;\n"
                  "CREATE UNIQUE INDEX idx_post_stats_post ON post_stats (post_id);",
                  "DROP MATERIALIZED VIEW post_stats;");
            h.add("refresh_post_stats", "REFRESH MATERIALIZED VIEW post_stats;", "SELECT 1;");
        }
        if (i == 8)
            h.add("index_post_published_concurrently",
                  "-- pgmig:no-transaction\nCREATE INDEX CONCURRENTLY idx_post_title_published ON post (title, published);",
                  "-- pgmig:no-transaction\nDROP INDEX CONCURRENTLY idx_post_title_published;");
        if (t == "site") {
            h.add("reset_site", "DELETE FROM site;\nINSERT INTO site (title, score) VALUES ('main', 0);",
                  "SELECT 1;");
        }
        if (t == "login_session")
            h.add("expire_sessions", "TRUNCATE login_session;", "SELECT 1;");
        if (t == "audit_event") {
            h.add("retire_federation_queue", "DROP TABLE federation_queue CASCADE;",
                  "CREATE TABLE federation_queue (id bigint PRIMARY KEY);");
            h.add("relax_audit_title", "ALTER TABLE audit_event ALTER COLUMN title DROP NOT NULL;",
                  "ALTER TABLE audit_event ALTER COLUMN title SET NOT NULL;");
        }
    }
    if (entities > 23) { // custom_emoji exists
        h.add("rename_custom_emoji", "ALTER TABLE custom_emoji RENAME TO emoji;",
              "ALTER TABLE emoji RENAME TO custom_emoji;");
        h.add("move_utilities", "DROP SCHEMA utils CASCADE;", "CREATE SCHEMA utils;");
    }
    return h.files;
}

} // namespace pgmig_test
