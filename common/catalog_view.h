// What the catalog-reading built-ins (regclass, pg_table_is_visible,
// pg_get_indexdef, pg_get_userbyid, ...) may ask of the catalog. common/
// cannot see catalog/, so it declares the questions here and
// catalog/system/snapshot_catalog_view.h answers them from the snapshot the
// statement reads. Where no catalog is reachable (a fragment on a storage
// node) the context has none and these functions fail with 0A000.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace tessera {

// has_table_privilege and kin: does a role hold a privilege on an object.
// Role and object are each given by name or by OID; no role: current_user.
struct PrivilegeQuestion {
  enum class Kind : uint8_t { kTable, kSequence, kSchema };
  Kind kind = Kind::kTable;
  std::optional<std::string> role_name;
  std::optional<int64_t> role_oid;
  std::optional<std::string> object_name;
  std::optional<int64_t> object_oid;
  std::string privileges;  // "SELECT, INSERT WITH GRANT OPTION": true when any one is held
};

class CatalogView {
 public:
  virtual ~CatalogView() = default;
  // regclass input: "t", "public.t", "\"T\""; nullopt when there is no such relation.
  virtual std::optional<int64_t> RelationOid(const std::string& name) const = 0;
  // regclass output: the name, schema-qualified when not visible on the search path.
  virtual std::optional<std::string> RelationName(int64_t oid) const = 0;
  virtual bool RelationVisible(int64_t oid) const = 0;
  // pg_relation_is_publishable: an ordinary user table (not a view, index,
  // sequence or system relation); false when there is no such relation.
  virtual bool RelationPublishable(int64_t oid) const = 0;
  // pg_get_indexdef(oid, column, pretty): the whole CREATE INDEX (column 0)
  // or one column; `pretty` names the table without its schema when visible.
  virtual std::optional<std::string> IndexDefinition(int64_t oid, int column, bool pretty) const = 0;
  virtual std::optional<std::string> ConstraintDefinition(int64_t oid) const = 0;
  // pg_get_viewdef(oid, pretty): the view's query; nullopt when `oid` is not a view.
  virtual std::optional<std::string> ViewDefinition(int64_t oid, bool pretty) const = 0;
  virtual std::optional<std::string> RoleName(int64_t oid) const = 0;
  virtual std::optional<std::string> NamespaceName(int64_t oid) const = 0;
  // pg_get_function_result / pg_get_function_arguments of a pg_proc OID.
  virtual std::optional<std::string> FunctionResult(int64_t oid) const = 0;
  virtual std::optional<std::string> FunctionArguments(int64_t oid) const = 0;
  virtual std::string DatabaseName() const = 0;
  // obj_description / col_description: the comment on a pg_class object
  // (subid 0) or on its column `subid` (attnum); nullopt (NULL) when none.
  // `catalog` is the catalog named ("pg_class"), empty for any.
  virtual std::optional<std::string> Description(int64_t oid, const std::string& catalog, int32_t subid) const = 0;
  // nullopt (SQL NULL) when an object given by OID does not exist; throws
  // 42704 for an unknown role, 42P01 / 3F000 for an unknown object name,
  // 22023 for an unknown privilege word.
  virtual std::optional<bool> HasPrivilege(const PrivilegeQuestion& question) const = 0;
  // Whether current_user may cancel or terminate a session of `user`
  // (PostgreSQL's pg_signal_backend rules): a superuser's session only if
  // current_user is one, any other if current_user has `user`'s privileges.
  enum class SignalRight { kAllowed, kSuperuserOnly, kDenied };
  virtual SignalRight MaySignal(const std::string& user) const {
    (void)user;
    return SignalRight::kDenied;
  }
  // pg_get_serial_sequence(table, column): the schema-qualified sequence
  // the column owns (serial, identity, OWNED BY); nullopt when it owns none.
  // `table` is parsed as regclass input, `column` taken literally. Throws
  // 42P01 for an unknown table, 42703 for an unknown column.
  virtual std::optional<std::string> SerialSequence(const std::string& table, const std::string& column) const = 0;
};

}  // namespace tessera
