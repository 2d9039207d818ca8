// The one list of system relations: add a relation by declaring it in its
// own file and naming it here.
#include "catalog/system/system_relation.h"

namespace tessera::catalog::system {

extern const SystemRelation kPgAm, kPgAttrdef, kPgAttribute, kPgAuthid, kPgAuthMembers, kPgClass, kPgCollation,
    kPgConstraint, kPgDatabase, kPgDepend, kPgDescription, kPgIndex, kPgIndexes, kPgInherits, kPgNamespace, kPgProc,
    kPgPolicy, kPgPublication, kPgPublicationNamespace, kPgPublicationRel, kPgStatisticExt, kPgRoles, kPgSequence, kPgStatSsl, kPgTables, kPgCursors, kPgPreparedStatements, kPgType, kPgUser, kPgViews, kInformationSchemaColumns,
    kInformationSchemaKeyColumnUsage, kInformationSchemaSchemata, kInformationSchemaSequences,
    kInformationSchemaTableConstraints, kInformationSchemaTables, kInformationSchemaViews,
    kInformationSchemaReferentialConstraints, kPgStatActivity;

// pg_dump's (issue 11): pg_absent_objects.cpp, pg_builtin_machinery.cpp, pg_settings.cpp.
extern const SystemRelation kPgExtension, kPgForeignDataWrapper, kPgForeignServer, kPgForeignTable, kPgTrigger, kPgEventTrigger, kPgRewrite, kPgTsParser, kPgTsTemplate, kPgTsDict, kPgTsConfig, kPgRange, kPgConversion, kPgLargeobjectMetadata, kPgSubscription, kPgPartitionedTable, kPgTablespace, kPgDefaultAcl, kPgInitPrivs, kPgTransform, kPgSeclabels, kPgCast, kPgOperator, kPgOpclass, kPgOpfamily, kPgAmop, kPgAmproc, kPgLanguage, kPgSettings, kPgShseclabel, kPgDbRoleSetting;

const std::vector<const SystemRelation*>& SystemRelations() {
  static const std::vector<const SystemRelation*> kRelations = {
      &kPgAm,          &kPgAttrdef,    &kPgAttribute, &kPgAuthid,      &kPgAuthMembers, &kPgClass,
      &kPgCollation,   &kPgConstraint, &kPgDatabase,  &kPgDepend,      &kPgDescription, &kPgIndex,
      &kPgIndexes,     &kPgInherits,   &kPgNamespace, &kPgProc,        &kPgPolicy,      &kPgPublication, &kPgPublicationNamespace,
      &kPgPublicationRel, &kPgStatisticExt, &kPgRoles,       &kPgSequence,   &kPgStatSsl, &kPgCursors, &kPgPreparedStatements,
      &kPgTables,      &kPgType,       &kPgUser,      &kPgViews,       &kInformationSchemaColumns,
      &kInformationSchemaSchemata, &kInformationSchemaSequences, &kInformationSchemaTables,
      &kInformationSchemaTableConstraints, &kInformationSchemaKeyColumnUsage, &kInformationSchemaViews,
      &kInformationSchemaReferentialConstraints,
      &kPgStatActivity,
      &kPgExtension, &kPgForeignDataWrapper, &kPgForeignServer, &kPgForeignTable, &kPgTrigger, &kPgEventTrigger, &kPgRewrite, &kPgTsParser, &kPgTsTemplate, &kPgTsDict, &kPgTsConfig, &kPgRange, &kPgConversion, &kPgLargeobjectMetadata, &kPgSubscription, &kPgPartitionedTable, &kPgTablespace, &kPgDefaultAcl, &kPgInitPrivs, &kPgTransform, &kPgSeclabels, &kPgCast, &kPgOperator, &kPgOpclass, &kPgOpfamily, &kPgAmop, &kPgAmproc, &kPgLanguage, &kPgSettings, &kPgShseclabel, &kPgDbRoleSetting,
  };
  return kRelations;
}

}  // namespace tessera::catalog::system
