// pg_catalog.pg_stat_activity: one row per session of this server process
// (common/session_activity.h), as PostgreSQL 15's view. The planning session
// makes the rows (session_relations.h), since what a role may see depends
// on it: another role's session shows its pid, database, user and
// application_name, and "<insufficient privilege>" for its query, unless
// the viewer is a superuser or has that role's privileges. Columns Tessera
// does not track are NULL: leader_pid (no parallel workers), client_hostname
// (log_hostname is off), wait_event_type and wait_event, backend_xid and
// backend_xmin (no transaction ids), query_id (compute_query_id is off).
#include "catalog/system/session_relations.h"
#include "catalog/system/system_relation.h"

namespace tessera::catalog::system {
namespace {

std::vector<Row> ActivityRows(const CatalogSnapshot&) {
  const SessionRows* session = ReadSessionRows();
  return session ? session->Activity() : std::vector<Row>{};
}

}  // namespace

extern const SystemRelation kPgStatActivity{
    "pg_catalog", "pg_stat_activity", 12161,
    {{"datid", "oid"},
     {"datname", "name"},
     {"pid", "integer"},
     {"leader_pid", "integer"},
     {"usesysid", "oid"},
     {"usename", "name"},
     {"application_name", "text"},
     {"client_addr", "inet"},
     {"client_hostname", "text"},
     {"client_port", "integer"},
     {"backend_start", "timestamp with time zone"},
     {"xact_start", "timestamp with time zone"},
     {"query_start", "timestamp with time zone"},
     {"state_change", "timestamp with time zone"},
     {"wait_event_type", "text"},
     {"wait_event", "text"},
     {"state", "text"},
     {"backend_xid", "xid"},
     {"backend_xmin", "xid"},
     {"query_id", "bigint"},
     {"query", "text"},
     {"backend_type", "text"}},
    ActivityRows};

}  // namespace tessera::catalog::system
