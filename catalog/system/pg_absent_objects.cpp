// Catalogs of object kinds Tessera does not have: extensions, foreign data
// wrappers, servers and tables, triggers and event triggers, rewrite rules
// (a Tessera view is not a rule), text search, range types, encoding
// conversions, large objects, subscriptions, partitioned tables,
// tablespaces, default privileges, per-database and per-role settings,
// transforms and security labels. Each is empty, which is the truth here;
// pg_dump (and psql, drivers) read them all and expect PostgreSQL 15's
// columns, declared below as PostgreSQL declares them.
// Their regproc columns are declared oid: Tessera keeps a regproc as its
// function's name (text, catalog/system/system_relation.h), which does not
// compare with an oid as PostgreSQL's regproc does (pg_dump joins
// p.oid = pg_transform.trffromsql); with no rows, no value shows the
// difference, and a cast ::regproc of one still gives the name. So are
// pg_partitioned_table's vectors declared as the arrays they are (pg_dump
// asks `= ANY(partclass)`), where Tessera's populated catalogs keep vectors
// as text.
#include "catalog/system/system_relation.h"

namespace tessera::catalog::system {

extern const SystemRelation kPgExtension{"pg_catalog",
                                         "pg_extension",
                                         3079,
                                         {{"oid", "oid"},
                                          {"extname", "name"},
                                          {"extowner", "oid"},
                                          {"extnamespace", "oid"},
                                          {"extrelocatable", "boolean"},
                                          {"extversion", "text"},
                                          {"extconfig", "oid[]"},
                                          {"extcondition", "text[]"}},
                                         NoRows};

extern const SystemRelation kPgForeignDataWrapper{"pg_catalog",
                                                  "pg_foreign_data_wrapper",
                                                  2328,
                                                  {{"oid", "oid"},
                                                   {"fdwname", "name"},
                                                   {"fdwowner", "oid"},
                                                   {"fdwhandler", "oid"},
                                                   {"fdwvalidator", "oid"},
                                                   {"fdwacl", "aclitem[]"},
                                                   {"fdwoptions", "text[]"}},
                                                  NoRows};

extern const SystemRelation kPgForeignServer{"pg_catalog",
                                             "pg_foreign_server",
                                             1417,
                                             {{"oid", "oid"},
                                              {"srvname", "name"},
                                              {"srvowner", "oid"},
                                              {"srvfdw", "oid"},
                                              {"srvtype", "text"},
                                              {"srvversion", "text"},
                                              {"srvacl", "aclitem[]"},
                                              {"srvoptions", "text[]"}},
                                             NoRows};

extern const SystemRelation kPgForeignTable{
    "pg_catalog", "pg_foreign_table", 3118, {{"ftrelid", "oid"}, {"ftserver", "oid"}, {"ftoptions", "text[]"}}, NoRows};

extern const SystemRelation kPgTrigger{"pg_catalog",
                                       "pg_trigger",
                                       2620,
                                       {{"oid", "oid"},
                                        {"tgrelid", "oid"},
                                        {"tgparentid", "oid"},
                                        {"tgname", "name"},
                                        {"tgfoid", "oid"},
                                        {"tgtype", "smallint"},
                                        {"tgenabled", "\"char\""},
                                        {"tgisinternal", "boolean"},
                                        {"tgconstrrelid", "oid"},
                                        {"tgconstrindid", "oid"},
                                        {"tgconstraint", "oid"},
                                        {"tgdeferrable", "boolean"},
                                        {"tginitdeferred", "boolean"},
                                        {"tgnargs", "smallint"},
                                        {"tgattr", "int2vector"},
                                        {"tgargs", "bytea"},
                                        {"tgqual", "pg_node_tree"},
                                        {"tgoldtable", "name"},
                                        {"tgnewtable", "name"}},
                                       NoRows};

extern const SystemRelation kPgEventTrigger{"pg_catalog",
                                            "pg_event_trigger",
                                            3466,
                                            {{"oid", "oid"},
                                             {"evtname", "name"},
                                             {"evtevent", "name"},
                                             {"evtowner", "oid"},
                                             {"evtfoid", "oid"},
                                             {"evtenabled", "\"char\""},
                                             {"evttags", "text[]"}},
                                            NoRows};

extern const SystemRelation kPgRewrite{"pg_catalog",
                                       "pg_rewrite",
                                       2618,
                                       {{"oid", "oid"},
                                        {"rulename", "name"},
                                        {"ev_class", "oid"},
                                        {"ev_type", "\"char\""},
                                        {"ev_enabled", "\"char\""},
                                        {"is_instead", "boolean"},
                                        {"ev_qual", "pg_node_tree"},
                                        {"ev_action", "pg_node_tree"}},
                                       NoRows};

extern const SystemRelation kPgTsParser{"pg_catalog",
                                        "pg_ts_parser",
                                        3601,
                                        {{"oid", "oid"},
                                         {"prsname", "name"},
                                         {"prsnamespace", "oid"},
                                         {"prsstart", "oid"},
                                         {"prstoken", "oid"},
                                         {"prsend", "oid"},
                                         {"prsheadline", "oid"},
                                         {"prslextype", "oid"}},
                                        NoRows};

extern const SystemRelation kPgTsTemplate{
    "pg_catalog",
    "pg_ts_template",
    3764,
    {{"oid", "oid"}, {"tmplname", "name"}, {"tmplnamespace", "oid"}, {"tmplinit", "oid"}, {"tmpllexize", "oid"}},
    NoRows};

extern const SystemRelation kPgTsDict{"pg_catalog",
                                      "pg_ts_dict",
                                      3600,
                                      {{"oid", "oid"},
                                       {"dictname", "name"},
                                       {"dictnamespace", "oid"},
                                       {"dictowner", "oid"},
                                       {"dicttemplate", "oid"},
                                       {"dictinitoption", "text"}},
                                      NoRows};

extern const SystemRelation kPgTsConfig{
    "pg_catalog",
    "pg_ts_config",
    3602,
    {{"oid", "oid"}, {"cfgname", "name"}, {"cfgnamespace", "oid"}, {"cfgowner", "oid"}, {"cfgparser", "oid"}},
    NoRows};

extern const SystemRelation kPgRange{"pg_catalog",
                                     "pg_range",
                                     3541,
                                     {{"rngtypid", "oid"},
                                      {"rngsubtype", "oid"},
                                      {"rngmultitypid", "oid"},
                                      {"rngcollation", "oid"},
                                      {"rngsubopc", "oid"},
                                      {"rngcanonical", "oid"},
                                      {"rngsubdiff", "oid"}},
                                     NoRows};

extern const SystemRelation kPgConversion{"pg_catalog",
                                          "pg_conversion",
                                          2607,
                                          {{"oid", "oid"},
                                           {"conname", "name"},
                                           {"connamespace", "oid"},
                                           {"conowner", "oid"},
                                           {"conforencoding", "integer"},
                                           {"contoencoding", "integer"},
                                           {"conproc", "oid"},
                                           {"condefault", "boolean"}},
                                          NoRows};

extern const SystemRelation kPgLargeobjectMetadata{"pg_catalog",
                                                   "pg_largeobject_metadata",
                                                   2995,
                                                   {{"oid", "oid"}, {"lomowner", "oid"}, {"lomacl", "aclitem[]"}},
                                                   NoRows};

extern const SystemRelation kPgSubscription{"pg_catalog",
                                            "pg_subscription",
                                            6100,
                                            {{"oid", "oid"},
                                             {"subdbid", "oid"},
                                             {"subskiplsn", "pg_lsn"},
                                             {"subname", "name"},
                                             {"subowner", "oid"},
                                             {"subenabled", "boolean"},
                                             {"subbinary", "boolean"},
                                             {"substream", "boolean"},
                                             {"subtwophasestate", "\"char\""},
                                             {"subdisableonerr", "boolean"},
                                             {"subconninfo", "text"},
                                             {"subslotname", "name"},
                                             {"subsynccommit", "text"},
                                             {"subpublications", "text[]"}},
                                            NoRows};

extern const SystemRelation kPgPartitionedTable{"pg_catalog",
                                                "pg_partitioned_table",
                                                3350,
                                                {{"partrelid", "oid"},
                                                 {"partstrat", "\"char\""},
                                                 {"partnatts", "smallint"},
                                                 {"partdefid", "oid"},
                                                 {"partattrs", "smallint[]"},
                                                 {"partclass", "oid[]"},
                                                 {"partcollation", "oid[]"},
                                                 {"partexprs", "pg_node_tree"}},
                                                NoRows};

extern const SystemRelation kPgTablespace{
    "pg_catalog",
    "pg_tablespace",
    1213,
    {{"oid", "oid"}, {"spcname", "name"}, {"spcowner", "oid"}, {"spcacl", "aclitem[]"}, {"spcoptions", "text[]"}},
    NoRows};

extern const SystemRelation kPgDefaultAcl{"pg_catalog",
                                          "pg_default_acl",
                                          826,
                                          {{"oid", "oid"},
                                           {"defaclrole", "oid"},
                                           {"defaclnamespace", "oid"},
                                           {"defaclobjtype", "\"char\""},
                                           {"defaclacl", "aclitem[]"}},
                                          NoRows};

extern const SystemRelation kPgTransform{
    "pg_catalog",
    "pg_transform",
    3576,
    {{"oid", "oid"}, {"trftype", "oid"}, {"trflang", "oid"}, {"trffromsql", "oid"}, {"trftosql", "oid"}},
    NoRows};

extern const SystemRelation kPgSeclabels{"pg_catalog",
                                         "pg_seclabels",
                                         12099,
                                         {{"objoid", "oid"},
                                          {"classoid", "oid"},
                                          {"objsubid", "integer"},
                                          {"objtype", "text"},
                                          {"objnamespace", "oid"},
                                          {"objname", "text"},
                                          {"provider", "text"},
                                          {"label", "text"}},
                                         NoRows};

extern const SystemRelation kPgShseclabel{
    "pg_catalog",
    "pg_shseclabel",
    3592,
    {{"objoid", "oid"}, {"classoid", "oid"}, {"provider", "text"}, {"label", "text"}},
    NoRows};

// Per-database and per-role settings (ALTER DATABASE / ROLE ... SET): none.
extern const SystemRelation kPgDbRoleSetting{"pg_catalog",
                                             "pg_db_role_setting",
                                             2964,
                                             {{"setdatabase", "oid"}, {"setrole", "oid"}, {"setconfig", "text[]"}},
                                             NoRows};

}  // namespace tessera::catalog::system
