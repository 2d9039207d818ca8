// Casts, operators, operator classes and families, their members, and
// procedural languages. Tessera's are built into its code (common/,
// planner/), none can be user-defined, and none is listed here yet: these
// relations are empty. pg_dump reads them all but dumps only user-defined
// ones (OID >= 16384), so an empty list dumps the same; a client looking a
// built-in up here finds nothing (a known gap, ARCHITECTURE.md).
// Their regproc columns are declared oid: Tessera keeps a regproc as its
// function's name (text, catalog/system/system_relation.h), which does not
// compare with an oid as PostgreSQL's regproc does (pg_dump joins
// p.oid = pg_transform.trffromsql); with no rows, no value shows the
// difference, and a cast ::regproc of one still gives the name.
#include "catalog/system/system_relation.h"

namespace tessera::catalog::system {

extern const SystemRelation kPgCast{"pg_catalog",
                                    "pg_cast",
                                    2605,
                                    {{"oid", "oid"},
                                     {"castsource", "oid"},
                                     {"casttarget", "oid"},
                                     {"castfunc", "oid"},
                                     {"castcontext", "\"char\""},
                                     {"castmethod", "\"char\""}},
                                    NoRows};

extern const SystemRelation kPgOperator{"pg_catalog",
                                        "pg_operator",
                                        2617,
                                        {{"oid", "oid"},
                                         {"oprname", "name"},
                                         {"oprnamespace", "oid"},
                                         {"oprowner", "oid"},
                                         {"oprkind", "\"char\""},
                                         {"oprcanmerge", "boolean"},
                                         {"oprcanhash", "boolean"},
                                         {"oprleft", "oid"},
                                         {"oprright", "oid"},
                                         {"oprresult", "oid"},
                                         {"oprcom", "oid"},
                                         {"oprnegate", "oid"},
                                         {"oprcode", "oid"},
                                         {"oprrest", "oid"},
                                         {"oprjoin", "oid"}},
                                        NoRows};

extern const SystemRelation kPgOpclass{"pg_catalog",
                                       "pg_opclass",
                                       2616,
                                       {{"oid", "oid"},
                                        {"opcmethod", "oid"},
                                        {"opcname", "name"},
                                        {"opcnamespace", "oid"},
                                        {"opcowner", "oid"},
                                        {"opcfamily", "oid"},
                                        {"opcintype", "oid"},
                                        {"opcdefault", "boolean"},
                                        {"opckeytype", "oid"}},
                                       NoRows};

extern const SystemRelation kPgOpfamily{
    "pg_catalog",
    "pg_opfamily",
    2753,
    {{"oid", "oid"}, {"opfmethod", "oid"}, {"opfname", "name"}, {"opfnamespace", "oid"}, {"opfowner", "oid"}},
    NoRows};

extern const SystemRelation kPgAmop{"pg_catalog",
                                    "pg_amop",
                                    2602,
                                    {{"oid", "oid"},
                                     {"amopfamily", "oid"},
                                     {"amoplefttype", "oid"},
                                     {"amoprighttype", "oid"},
                                     {"amopstrategy", "smallint"},
                                     {"amoppurpose", "\"char\""},
                                     {"amopopr", "oid"},
                                     {"amopmethod", "oid"},
                                     {"amopsortfamily", "oid"}},
                                    NoRows};

extern const SystemRelation kPgAmproc{"pg_catalog",
                                      "pg_amproc",
                                      2603,
                                      {{"oid", "oid"},
                                       {"amprocfamily", "oid"},
                                       {"amproclefttype", "oid"},
                                       {"amprocrighttype", "oid"},
                                       {"amprocnum", "smallint"},
                                       {"amproc", "oid"}},
                                      NoRows};

extern const SystemRelation kPgLanguage{"pg_catalog",
                                        "pg_language",
                                        2612,
                                        {{"oid", "oid"},
                                         {"lanname", "name"},
                                         {"lanowner", "oid"},
                                         {"lanispl", "boolean"},
                                         {"lanpltrusted", "boolean"},
                                         {"lanplcallfoid", "oid"},
                                         {"laninline", "oid"},
                                         {"lanvalidator", "oid"},
                                         {"lanacl", "aclitem[]"}},
                                        NoRows};

}  // namespace tessera::catalog::system
