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
  };
  return kRelations;
}

}  // namespace tessera::catalog::system
