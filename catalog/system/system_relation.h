// Virtual, read-only system relations (pg_catalog, information_schema).
//
// Each relation is a declaration, not a case in the binder (STYLE.md §12):
// PostgreSQL's column names and types, written as PostgreSQL declares them,
// plus one function that walks a catalog snapshot and returns the rows. The
// binder finds a relation here by name and the planner reads the rows from
// the same snapshot the statement binds against, so a CREATE TABLE earlier in
// the statement's transaction shows up in pg_class, and every gateway (which
// holds the same etcd catalog) answers the same.
//
// Column types follow PostgreSQL's declaration text; the types Tessera lacks
// are stored as their nearest Tessera type (SystemColumnType): name and
// "char" as text, xid as oid, vectors, arrays, regproc, aclitem[] and
// pg_node_tree as text in PostgreSQL's own text form ('1 2', '{a,b}').
#pragma once

#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "common/value.h"

namespace tessera::catalog::system {

struct SystemColumn {
  const char* name;
  const char* pg_type;  // as PostgreSQL declares it: "oid", "name", "\"char\"", "int2vector"
};

using RowGenerator = std::vector<Row> (*)(const CatalogSnapshot& snapshot);

struct SystemRelation {
  const char* schema;  // "pg_catalog" or "information_schema"
  const char* name;
  uint32_t oid;        // PostgreSQL's OID for the relation where it is fixed, else one of ours
  std::vector<SystemColumn> columns;
  RowGenerator rows;
};

// Every declared relation, in one list (system_relations.cpp).
const std::vector<const SystemRelation*>& SystemRelations();
// By name; an empty schema searches pg_catalog only (PostgreSQL's search
// path always includes it; information_schema must be named).
const SystemRelation* FindSystemRelation(const std::string& schema, const std::string& name);
bool IsSystemSchema(const std::string& schema);

// The Tessera type a declared column is stored as.
Type SystemColumnType(const SystemColumn& column);

// The relation's rows from `snapshot`, each checked against the declaration
// (width and types; a NULL takes its column's type), so a generator that
// drifts from its declaration fails loudly (XX000) instead of mislabelling.
std::vector<Row> GenerateSystemRows(const SystemRelation& relation, const CatalogSnapshot& snapshot);

// The rows of a relation Tessera declares but has nothing for (pg_policy,
// pg_publication, ...): none.
std::vector<Row> NoRows(const CatalogSnapshot& snapshot);

}  // namespace tessera::catalog::system
