// Parser of Tessera's PostgreSQL dialect, shaped after PostgreSQL 15's
// gram.y. Alternatives are written so that SLL prediction decides them (the
// first stage of the two-stage parse in parser.cpp); the expression rules are
// left-recursive with PostgreSQL's precedence, see `expr` below.
parser grammar TesseraParser;

options { tokenVocab = TesseraLexer; }

root : statement? (SEMI statement?)* EOF ;

exprOnly : expr EOF ;

statement
  : selectStmt
  | insertStmt
  | updateStmt
  | deleteStmt
  | createTableAsStmt
  | createTableStmt
  | dropTableStmt
  | createIndexStmt
  | dropIndexStmt
  | createViewStmt
  | dropViewStmt
  | alterTableStmt
  | truncateStmt
  | transactionStmt
  | setStmt
  | showStmt
  | resetStmt
  | explainStmt
  | vacuumStmt
  | copyStmt
  | createRoleStmt
  | alterRoleStmt
  | dropRoleStmt
  | createSequenceStmt
  | alterSequenceStmt
  | dropSequenceStmt
  | grantStmt
  | revokeStmt
  | alterOwnerStmt
  | reassignOwnedStmt
  | dropOwnedStmt
  | prepareStmt
  | executeStmt
  | deallocateStmt
  | commentStmt
  | declareCursorStmt
  | fetchStmt
  | closeCursorStmt
  | discardStmt
  | lockStmt
  ;

// ---------------------------------------------------------------- SELECT

selectStmt : withClause? selectUnion orderByClause? (limitItem | lockingItem)* ;

// FOR UPDATE | NO KEY UPDATE | SHARE | KEY SHARE [OF name, ...] [NOWAIT | SKIP LOCKED]
lockingItem
  : FOR (UPDATE | NO KEY UPDATE | SHARE | KEY SHARE) (OF qualifiedName (COMMA qualifiedName)*)?
    (NOWAIT | SKIP_P LOCKED)?
  ;

// WITH [RECURSIVE] name [(columns)] AS [[NOT] MATERIALIZED] (query), ...
// Data-modifying statements are parsed here so the builder can refuse them
// with 0A000 rather than a syntax error.
withClause : WITH RECURSIVE? commonTableExpr (COMMA commonTableExpr)* ;

commonTableExpr
  : identifier (OPEN_PAREN identifierList CLOSE_PAREN)? AS (NOT? MATERIALIZED)?
    OPEN_PAREN (selectStmt | insertStmt | updateStmt | deleteStmt) CLOSE_PAREN
  ;

// INTERSECT binds tighter than UNION and EXCEPT, as in PostgreSQL.
selectUnion : selectIntersect (setOp=(UNION | EXCEPT) setQuantifier? selectIntersect)* ;

selectIntersect : selectPrimary (INTERSECT setQuantifier? selectPrimary)* ;

setQuantifier : ALL | DISTINCT ;

selectPrimary
  : simpleSelect
  | valuesClause
  | OPEN_PAREN selectStmt CLOSE_PAREN
  ;

simpleSelect
  : SELECT distinctClause? targetList? intoClause? fromClause? whereClause? groupByClause? havingClause? windowClause?
  ;

// SELECT ... INTO [TEMP] [TABLE] name (the builder makes it CREATE TABLE AS).
intoClause : INTO (TEMP | TEMPORARY | LOCAL (TEMP | TEMPORARY))? TABLE? qualifiedName ;

distinctClause : ALL | DISTINCT (ON OPEN_PAREN exprList CLOSE_PAREN)? ;

valuesClause : VALUES valuesRow (COMMA valuesRow)* ;

valuesRow : OPEN_PAREN exprList CLOSE_PAREN ;

targetList : targetItem (COMMA targetItem)* ;

targetItem
  : STAR                                  # targetStar
  | expr (AS colLabel | identifier)?      # targetExpr
  ;

fromClause : FROM tableRef (COMMA tableRef)* ;

whereClause : WHERE expr ;

groupByClause : GROUP BY exprList ;

havingClause : HAVING expr ;

// Window functions: WINDOW name AS (...) and f(...) OVER name | (...).
windowClause : WINDOW windowDef (COMMA windowDef)* ;

windowDef : identifier AS windowSpec ;

overClause : OVER (identifier | windowSpec) ;

windowSpec
  : OPEN_PAREN identifier? (PARTITION BY exprList)? (ORDER BY orderItem (COMMA orderItem)*)? frameClause? CLOSE_PAREN
  ;

frameClause : (RANGE | ROWS | GROUPS) (frameBound | BETWEEN frameBound AND frameBound) frameExclusion? ;

frameBound
  : UNBOUNDED (PRECEDING | FOLLOWING)
  | CURRENT ROW
  | bExpr (PRECEDING | FOLLOWING)
  ;

frameExclusion : EXCLUDE (CURRENT ROW | GROUP | TIES | NO OTHERS) ;

orderByClause : ORDER BY orderItem (COMMA orderItem)* ;

orderItem : expr (ASC | DESC)? (NULLS (FIRST | LAST))? ;

limitItem
  : LIMIT (expr | ALL)                               # limitClause
  | OFFSET expr (ROW | ROWS)?                        # offsetClause
  | FETCH (FIRST | NEXT) expr? (ROW | ROWS) ONLY     # fetchClause
  ;

tableRef : tablePrimary joinPart* ;

joinPart
  : CROSS JOIN tablePrimary                                        # crossJoin
  | NATURAL joinType? JOIN tablePrimary                            # naturalJoin
  | joinType? JOIN tablePrimary joinQual                           # qualifiedJoin
  ;

joinType : INNER | (LEFT | RIGHT | FULL) OUTER? ;

joinQual
  : ON expr
  | USING OPEN_PAREN identifierList CLOSE_PAREN
  ;

tablePrimary
  : funcApplication aliasClause?                     # tableFunction
  | qualifiedName aliasClause?                       # tableName
  | OPEN_PAREN selectStmt CLOSE_PAREN aliasClause?   # tableSubquery
  | OPEN_PAREN tableRef CLOSE_PAREN aliasClause?     # tableParens
  ;

aliasClause : AS? identifier (OPEN_PAREN identifierList CLOSE_PAREN)? ;

// ---------------------------------------------------------------- DML

insertStmt
  : withClause? INSERT INTO qualifiedName (AS identifier)? (OPEN_PAREN identifierList CLOSE_PAREN)?
    (DEFAULT VALUES | selectStmt) onConflict? returningClause?
  ;

onConflict
  : ON CONFLICT (OPEN_PAREN identifierList CLOSE_PAREN | ON CONSTRAINT identifier)?
    DO (NOTHING | UPDATE SET setClause (COMMA setClause)* whereClause?)
  ;

returningClause : RETURNING targetList ;

updateStmt
  : withClause? UPDATE qualifiedName (AS? identifier)? SET setClause (COMMA setClause)*
    fromClause? (whereClause | whereCurrentOf)? returningClause?
  ;

setClause
  : identifier EQUALS expr                                                       # setSingle
  | OPEN_PAREN identifierList CLOSE_PAREN EQUALS OPEN_PAREN exprList CLOSE_PAREN  # setMulti
  ;

deleteStmt
  : withClause? DELETE FROM qualifiedName (AS? identifier)? (USING tableRef (COMMA tableRef)*)?
    (whereClause | whereCurrentOf)? returningClause?
  ;

// UPDATE/DELETE ... WHERE CURRENT OF cursor: parsed to be refused (0A000).
whereCurrentOf : WHERE CURRENT OF identifier ;

// ---------------------------------------------------------------- DDL

createTableStmt
  : CREATE (TEMP | TEMPORARY | LOCAL (TEMP | TEMPORARY))? TABLE (IF NOT EXISTS)? qualifiedName
    OPEN_PAREN (tableElement (COMMA tableElement)*)? CLOSE_PAREN withOptions? onCommitClause?
  ;

// CREATE TABLE ... AS query [WITH [NO] DATA] (DATA is no keyword of ours:
// the builder checks the identifier).
createTableAsStmt
  : CREATE (TEMP | TEMPORARY | LOCAL (TEMP | TEMPORARY))? TABLE (IF NOT EXISTS)? qualifiedName
    (OPEN_PAREN identifierList CLOSE_PAREN)? onCommitClause? AS selectStmt (WITH NO? identifier)?
  ;

// ON COMMIT PRESERVE ROWS | DELETE ROWS | DROP (PRESERVE is no keyword of
// ours: the builder checks the identifier).
onCommitClause : ON COMMIT (DROP | DELETE ROWS | identifier ROWS) ;

tableElement : tableConstraint | columnDef ;

columnDef : identifier typeName columnConstraint* ;

columnConstraint : (CONSTRAINT identifier)? columnConstraintBody ;

columnConstraintBody
  : NOT NULL_P                                                                # ccNotNull
  | NULL_P                                                                    # ccNull
  | PRIMARY KEY                                                             # ccPrimaryKey
  | UNIQUE                                                                  # ccUnique
  | DEFAULT bExpr                                                           # ccDefault
  | CHECK OPEN_PAREN expr CLOSE_PAREN                                       # ccCheck
  | REFERENCES qualifiedName (OPEN_PAREN identifierList CLOSE_PAREN)? referenceOption*  # ccReferences
    // GENERATED ALWAYS | BY DEFAULT AS IDENTITY [(options)], GENERATED ALWAYS AS (expr) STORED
  | GENERATED (identifier | BY DEFAULT) AS
    (identifier (OPEN_PAREN seqOption* CLOSE_PAREN)? | OPEN_PAREN expr CLOSE_PAREN identifier)  # ccGenerated
  ;

referenceOption
  : MATCH (FULL | PARTIAL | SIMPLE)
  | ON (DELETE | UPDATE) (NO ACTION | RESTRICT | CASCADE | SET NULL_P | SET DEFAULT)
  | NOT? DEFERRABLE
  | INITIALLY (DEFERRED | IMMEDIATE)
  ;

tableConstraint : (CONSTRAINT identifier)? tableConstraintBody ;

tableConstraintBody
  : PRIMARY KEY OPEN_PAREN identifierList CLOSE_PAREN                       # tcPrimaryKey
  | UNIQUE OPEN_PAREN identifierList CLOSE_PAREN                            # tcUnique
  | CHECK OPEN_PAREN expr CLOSE_PAREN                                       # tcCheck
  | FOREIGN KEY OPEN_PAREN identifierList CLOSE_PAREN
    REFERENCES qualifiedName (OPEN_PAREN identifierList CLOSE_PAREN)? referenceOption*  # tcForeignKey
  ;

withOptions : WITH OPEN_PAREN withOption (COMMA withOption)* CLOSE_PAREN ;

withOption : colLabel (EQUALS optionValue)? ;

optionValue : (PLUS | MINUS)? (INTEGER | DECIMAL) | stringConst | colLabel ;

dropTableStmt
  : DROP TABLE (IF EXISTS)? qualifiedName (COMMA qualifiedName)* (CASCADE | RESTRICT)?
  ;

createIndexStmt
  : CREATE UNIQUE? INDEX (IF NOT EXISTS)? identifier? ON qualifiedName (USING identifier)?
    OPEN_PAREN indexElem (COMMA indexElem)* CLOSE_PAREN withOptions?
  ;

indexElem : identifier (ASC | DESC)? (NULLS (FIRST | LAST))? ;

dropIndexStmt
  : DROP INDEX (IF EXISTS)? qualifiedName (COMMA qualifiedName)* (CASCADE | RESTRICT)?
  ;

// CREATE [OR REPLACE] VIEW; TEMP, RECURSIVE, MATERIALIZED and WITH CHECK
// OPTION are parsed so that they can be refused with 0A000.
createViewStmt
  : CREATE (OR REPLACE)? (TEMP | TEMPORARY | LOCAL (TEMP | TEMPORARY))? RECURSIVE? MATERIALIZED? VIEW
    (IF NOT EXISTS)? qualifiedName (OPEN_PAREN identifierList CLOSE_PAREN)? withOptions? AS selectStmt
    (WITH (CASCADED | LOCAL)? CHECK OPTION)?
  ;

dropViewStmt
  : DROP MATERIALIZED? VIEW (IF EXISTS)? qualifiedName (COMMA qualifiedName)* (CASCADE | RESTRICT)?
  ;

// ONLY and name * are accepted and mean the same: Tessera has no inheritance.
alterTableStmt : ALTER TABLE (IF EXISTS)? ONLY? qualifiedName STAR? alterAction ;

alterAction
  : ADD tableConstraint                                            # alterAddConstraint
  | ADD COLUMN? (IF NOT EXISTS)? columnDef                         # alterAddColumn
  | DROP CONSTRAINT (IF EXISTS)? identifier (CASCADE | RESTRICT)?  # alterDropConstraint
  | DROP COLUMN? (IF EXISTS)? identifier (CASCADE | RESTRICT)?     # alterDropColumn
  | RENAME TO identifier                                           # alterRenameTable
  | RENAME COLUMN? identifier TO identifier                        # alterRenameColumn
    // [SET DATA] TYPE: DATA and TYPE are plain identifiers here, checked by the builder
  | ALTER COLUMN? identifier (SET identifier)? identifier typeName (USING expr)?  # alterColumnType
  | ALTER COLUMN? identifier SET DEFAULT bExpr                     # alterColumnSetDefault
  | ALTER COLUMN? identifier DROP DEFAULT                          # alterColumnDropDefault
  | ALTER COLUMN? identifier (SET | DROP) NOT NULL_P               # alterColumnNotNull
  ;

// ---------------------------------------------------------------- sequences

// CREATE/ALTER/DROP SEQUENCE (PostgreSQL's CreateSeqStmt, AlterSeqStmt). As
// in gram.y most option words are plain identifiers, checked by the builder.
createSequenceStmt
  : CREATE (TEMP | TEMPORARY | LOCAL (TEMP | TEMPORARY))? SEQUENCE (IF NOT EXISTS)? qualifiedName seqOption*
  ;

alterSequenceStmt
  : ALTER SEQUENCE (IF EXISTS)? qualifiedName RENAME TO identifier   # alterSequenceRename
  | ALTER SEQUENCE (IF EXISTS)? qualifiedName seqOption+             # alterSequenceOptions
  ;

dropSequenceStmt
  : DROP SEQUENCE (IF EXISTS)? qualifiedName (COMMA qualifiedName)* (CASCADE | RESTRICT)?
  ;

seqOption
  : AS typeName                                # seqAs
  | START WITH? seqNumber                      # seqStart
  | NO colLabel                                # seqNo
  | identifier BY identifier (DOT colLabel)*   # seqOwnedBy
  | identifier (BY | WITH)? seqNumber?         # seqWord
  ;

seqNumber : (PLUS | MINUS)? INTEGER ;

truncateStmt : TRUNCATE TABLE? qualifiedName (COMMA qualifiedName)* (CASCADE | RESTRICT)? ;

// ---------------------------------------------------------------- roles

// CREATE ROLE | USER | GROUP, as PostgreSQL's CreateRoleStmt. Options that
// Tessera does not enforce yet are parsed so that they can be refused with
// 0A000; a plain word (LOGIN, SUPERUSER, ...) is checked by the builder.
createRoleStmt : CREATE (ROLE | USER | GROUP) identifier WITH? roleOption* ;

alterRoleStmt
  : ALTER (ROLE | USER | GROUP) identifier RENAME TO identifier    # alterRoleRename
  | ALTER (ROLE | USER) identifier WITH? roleOption+              # alterRoleOptions
  ;

dropRoleStmt : DROP (ROLE | USER | GROUP) (IF EXISTS)? identifier (COMMA identifier)* ;

roleOption
  : ENCRYPTED? PASSWORD (stringConst | NULL_P)     # rolePassword
  | UNENCRYPTED PASSWORD stringConst                # roleUnencryptedPassword
  | VALID UNTIL stringConst                         # roleValidUntil
  | CONNECTION LIMIT (PLUS | MINUS)? INTEGER        # roleConnectionLimit
  | SYSID INTEGER                                   # roleSysid
  | IN (ROLE | GROUP) identifierList                # roleInRole
  | (ROLE | USER | ADMIN) identifierList            # roleMembers
  | IDENTIFIER                                      # roleFlag
  ;

// ---------------------------------------------------------------- privileges

// GRANT/REVOKE privileges ON objects (PostgreSQL's GrantStmt) and GRANT/REVOKE
// of roles (GrantRoleStmt). Column lists and GRANTED BY are parsed so that the
// builder can refuse them with 0A000; privilege words are checked there too.
grantStmt
  : GRANT privileges ON privilegeTarget TO granteeList (WITH GRANT OPTION)? grantedBy?   # grantPrivileges
  | GRANT identifierList TO granteeList (WITH ADMIN OPTION)? grantedBy?                  # grantRole
  ;

revokeStmt
  : REVOKE (GRANT OPTION FOR)? privileges ON privilegeTarget FROM granteeList grantedBy? (CASCADE | RESTRICT)?  # revokePrivileges
  | REVOKE (ADMIN OPTION FOR)? identifierList FROM granteeList grantedBy? (CASCADE | RESTRICT)?                 # revokeRole
  ;

privileges
  : ALL PRIVILEGES? (OPEN_PAREN identifierList CLOSE_PAREN)?
  | privilege (COMMA privilege)*
  ;

privilege : (SELECT | REFERENCES | CREATE | identifier) (OPEN_PAREN identifierList CLOSE_PAREN)? ;

privilegeTarget
  : TABLE? qualifiedName (COMMA qualifiedName)*     # targetTables
  | SEQUENCE qualifiedName (COMMA qualifiedName)*   # targetSequences
  | SCHEMA identifierList                           # targetSchemas
  | ALL TABLES IN SCHEMA identifierList             # targetAllTables
  | ALL SEQUENCES IN SCHEMA identifierList          # targetAllSequences
  ;

granteeList : grantee (COMMA grantee)* ;

grantee : GROUP? (identifier | CURRENT_USER | SESSION_USER) ;

grantedBy : GRANTED BY grantee ;

// ALTER TABLE | VIEW | SEQUENCE name OWNER TO role (pg_dump writes it for every relation).
alterOwnerStmt : ALTER (TABLE | VIEW | SEQUENCE) (IF EXISTS)? qualifiedName OWNER TO grantee ;
// REASSIGN OWNED BY role, ... TO role; DROP OWNED BY role, ... [CASCADE | RESTRICT] (before DROP ROLE).
reassignOwnedStmt : REASSIGN OWNED BY granteeList TO grantee ;
dropOwnedStmt : DROP OWNED BY granteeList (CASCADE | RESTRICT)? ;

// ---------------------------------------------------------------- utility

transactionStmt
  : BEGIN (WORK | TRANSACTION)? transactionModes?       # beginStmt
  | START TRANSACTION transactionModes?                 # startStmt
  | (COMMIT | END) (WORK | TRANSACTION)?                # commitStmt
  | ROLLBACK (WORK | TRANSACTION)? TO SAVEPOINT? identifier  # rollbackToStmt
  | (ROLLBACK | ABORT) (WORK | TRANSACTION)?            # rollbackStmt
  | SAVEPOINT identifier                                # savepointStmt
  | RELEASE SAVEPOINT? identifier                       # releaseStmt
  | SET TRANSACTION transactionModes                    # setTransactionStmt
  ;

transactionModes : transactionMode (COMMA? transactionMode)* ;

transactionMode
  : ISOLATION LEVEL isolationLevel     # isolationMode
  | READ ONLY                          # readOnlyMode
  | READ WRITE                         # readWriteMode
  ;

isolationLevel : READ UNCOMMITTED | READ COMMITTED | REPEATABLE READ | SERIALIZABLE ;

setStmt
  : SET SESSION CHARACTERISTICS AS TRANSACTION transactionModes                             # setSessionCharacteristics
  | SET (SESSION | LOCAL)? TIME ZONE (DEFAULT | LOCAL | varValue)                        # setTimeZone
  | SET (SESSION | LOCAL)? varName (TO | EQUALS) (DEFAULT | varValue (COMMA varValue)*)  # setVar
  | SET (SESSION | LOCAL)? ROLE varValue                                                 # setRole
  ;

varName : identifier (DOT identifier)* ;

varValue : (PLUS | MINUS)? (INTEGER | DECIMAL) | stringConst | colLabel ;

showStmt
  : SHOW TRANSACTION ISOLATION LEVEL   # showIsolation
  | SHOW TIME ZONE                     # showTimeZone
  | SHOW ALL                           # showAll
  | SHOW varName                       # showVar
  ;

resetStmt
  : RESET TIME ZONE                    # resetTimeZone
  | RESET ALL                          # resetAll
  | RESET varName                      # resetVar
  ;

explainStmt
  : EXPLAIN (OPEN_PAREN explainOption (COMMA explainOption)* CLOSE_PAREN | ANALYZE? VERBOSE?) statement
  ;

explainOption : (identifier | ANALYZE | VERBOSE) optionValue? ;

// PREPARE name [(type, ...)] AS statement: only the statements PostgreSQL
// can prepare (a query or a write), so anything else is a syntax error there too.
prepareStmt
  : PREPARE identifier (OPEN_PAREN typeName (COMMA typeName)* CLOSE_PAREN)? AS (selectStmt | insertStmt | updateStmt | deleteStmt)
  ;

executeStmt : EXECUTE identifier (OPEN_PAREN expr (COMMA expr)* CLOSE_PAREN)? ;

deallocateStmt : DEALLOCATE PREPARE? (ALL | identifier) ;

// COMMENT ON TABLE | VIEW | COLUMN name IS 'text' | NULL. Other object kinds
// parse (objectKind is any word) so the builder can refuse them with 0A000.
commentStmt : COMMENT ON commentObject identifier (DOT colLabel)* IS (stringConst | NULL_P) ;

commentObject : TABLE | VIEW | COLUMN | INDEX | SEQUENCE | identifier ;

// DECLARE name [BINARY] [NO SCROLL | SCROLL] CURSOR [WITH | WITHOUT HOLD] FOR query
// (build_cursor.cpp). The options may come in any order, as in PostgreSQL.
declareCursorStmt
  : DECLARE identifier cursorOption* CURSOR ((WITH | WITHOUT) HOLD)? FOR selectStmt
  ;

cursorOption : BINARY | NO SCROLL | SCROLL ;

// FETCH and MOVE share their forms; the direction defaults to NEXT.
fetchStmt : (FETCH | MOVE) fetchDirection? (FROM | IN)? identifier ;

fetchDirection
  : NEXT | PRIOR | FIRST | LAST | ALL
  | ABSOLUTE signedCount
  | RELATIVE signedCount
  | signedCount
  | FORWARD (signedCount | ALL)?
  | BACKWARD (signedCount | ALL)?
  ;

signedCount : (PLUS | MINUS)? INTEGER ;

closeCursorStmt : CLOSE (ALL | identifier) ;

discardStmt : DISCARD (ALL | PLANS | SEQUENCES | TEMP | TEMPORARY) ;

// LOCK [TABLE] [ONLY] name [*] [, ...] [IN lockmode MODE] [NOWAIT]
lockStmt : LOCK TABLE? lockTarget (COMMA lockTarget)* (IN lockMode MODE)? NOWAIT? ;
lockTarget : ONLY? qualifiedName STAR? ;
lockMode
  : ACCESS SHARE | ROW SHARE | ROW EXCLUSIVE | SHARE UPDATE EXCLUSIVE | SHARE ROW EXCLUSIVE | SHARE | EXCLUSIVE
  | ACCESS EXCLUSIVE
  ;

vacuumStmt
  : VACUUM FULL? VERBOSE? ANALYZE? (qualifiedName (COMMA qualifiedName)*)?   # vacuum
  | ANALYZE VERBOSE? (qualifiedName (COMMA qualifiedName)*)?                 # analyze
  ;

// COPY (query) TO: only TO, as in PostgreSQL (a query FROM is a syntax error).
// A data-modifying query is parsed so the builder can refuse it with 0A000.
copyStmt
  : COPY (qualifiedName (OPEN_PAREN identifierList CLOSE_PAREN)? (FROM | TO) (STDIN | STDOUT | stringConst)
         | OPEN_PAREN (selectStmt | insertStmt | updateStmt | deleteStmt) CLOSE_PAREN TO (STDOUT | stringConst))
    (WITH? (OPEN_PAREN copyOption (COMMA copyOption)* CLOSE_PAREN | copyLegacyOption+))?
  ;

copyOption : (identifier | NULL_P) optionValue? ;

copyLegacyOption : (identifier | NULL_P) (AS? stringConst)? ;

// ---------------------------------------------------------------- expressions

// Two left-recursive rules, ANTLR's precedence climbing: alternatives listed
// first bind tighter. `expr` holds the boolean levels (PostgreSQL's a_expr),
// `bExpr` the arithmetic ones (b_expr, also used where AND would be
// ambiguous: BETWEEN bounds, DEFAULT). A leaf costs five parse-tree nodes
// instead of the sixteen a rule-per-level grammar needs, which is most of the
// parse time of a short statement.
expr
  : bExpr predicateSuffix?                            # predicate
  | expr compareOp (ANY | SOME | ALL) OPEN_PAREN (selectStmt | expr) CLOSE_PAREN  # compareAny
  | expr compareOp expr                               # compare
  | expr IS NOT? NULL_P                               # isNull
  | expr (ISNULL | NOTNULL)                           # isNullShort
  | expr IS NOT? (TRUE_P | FALSE_P | UNKNOWN)         # isBool
  | expr IS NOT? DISTINCT FROM expr                   # isDistinct
  | NOT expr                                          # not
  | expr AND expr                                     # and
  | expr OR expr                                      # or
  ;

compareOp : EQUALS | NOT_EQUALS | LESS | GREATER | LESS_EQUALS | GREATER_EQUALS ;

predicateSuffix
  : NOT? BETWEEN SYMMETRIC? bExpr AND bExpr                         # betweenSuffix
  | NOT? IN OPEN_PAREN selectStmt CLOSE_PAREN                       # inSubquerySuffix
  | NOT? IN OPEN_PAREN exprList CLOSE_PAREN                         # inListSuffix
  | NOT? (LIKE | ILIKE) bExpr (ESCAPE bExpr)?                       # likeSuffix
  ;

bExpr
  : primaryExpr                                       # primary
  | bExpr OPEN_BRACKET (expr | expr? COLON expr?) CLOSE_BRACKET  # subscript
  | bExpr TYPECAST typeName                           # typecast
  | (MINUS | PLUS) bExpr                              # unary
  | bExpr COLLATE qualifiedName                       # collate
  | bExpr CARET bExpr                                 # binary
  | bExpr (STAR | SLASH | PERCENT) bExpr              # binary
  | bExpr (PLUS | MINUS) bExpr                        # binary
  | bExpr (CONCAT | OPERATOR | qualifiedOperator) bExpr  # binary
  ;

// OPERATOR(pg_catalog.~), as psql's \d queries write operators.
qualifiedOperator
  : OPERATOR_P OPEN_PAREN (identifier DOT)?
    (EQUALS | NOT_EQUALS | LESS | GREATER | LESS_EQUALS | GREATER_EQUALS | PLUS | MINUS | STAR | SLASH
     | PERCENT | CARET | CONCAT | OPERATOR) CLOSE_PAREN
  ;

primaryExpr
  : constant                                                  # constantExpr
  | PARAM                                                     # paramExpr
  | OPEN_PAREN selectStmt CLOSE_PAREN                         # subqueryExpr
  | EXISTS OPEN_PAREN selectStmt CLOSE_PAREN                  # existsExpr
  | OPEN_PAREN expr (COMMA expr)* CLOSE_PAREN                 # parenExpr
  | ROW OPEN_PAREN exprList? CLOSE_PAREN                      # rowExpr
  | ARRAY OPEN_BRACKET exprList? CLOSE_BRACKET                # arrayExpr
  | ARRAY OPEN_PAREN selectStmt CLOSE_PAREN                   # arraySubqueryExpr
  | CASE expr? caseWhen+ (ELSE expr)? END                     # caseExpr
  | CAST OPEN_PAREN expr AS typeName CLOSE_PAREN              # castExpr
  | specialFunc                                               # specialFuncExpr
  | funcApplication overClause?                               # funcExpr
  | simpleTypeName stringConst                                # typedLiteralExpr
  | columnRef                                                 # columnRefExpr
  | DEFAULT                                                   # defaultExpr
  ;

caseWhen : WHEN expr THEN expr ;

constant
  : INTEGER | DECIMAL | stringConst | BIT_STRING | HEX_STRING | TRUE_P | FALSE_P | NULL_P
  ;

stringConst : STRING | ESCAPE_STRING | UNICODE_STRING | DOLLAR_STRING ;

columnRef : identifier (DOT colLabel)* (DOT STAR)? ;

funcApplication
  : funcName OPEN_PAREN (STAR | (ALL | DISTINCT)? exprList (ORDER BY orderItem (COMMA orderItem)*)?)? CLOSE_PAREN
  ;

funcName : funcIdent (DOT colLabel)? ;

// SQL's function-like forms, each mapped to a FuncCall with PostgreSQL's name.
specialFunc
  : COALESCE OPEN_PAREN exprList CLOSE_PAREN                                  # coalesceFunc
  | NULLIF OPEN_PAREN expr COMMA expr CLOSE_PAREN                             # nullifFunc
  | (GREATEST | LEAST) OPEN_PAREN exprList CLOSE_PAREN                        # minMaxFunc
  | SUBSTRING OPEN_PAREN expr FROM expr (FOR expr)? CLOSE_PAREN               # substringFromFunc
  | SUBSTRING OPEN_PAREN expr FOR expr (FROM expr)? CLOSE_PAREN               # substringForFunc
  | SUBSTRING OPEN_PAREN exprList CLOSE_PAREN                                 # substringListFunc
  | POSITION OPEN_PAREN bExpr IN bExpr CLOSE_PAREN                            # positionFunc
  | TRIM OPEN_PAREN (BOTH | LEADING | TRAILING)? trimArgs CLOSE_PAREN         # trimFunc
  | EXTRACT OPEN_PAREN colLabel FROM expr CLOSE_PAREN                         # extractFunc
  | (CURRENT_DATE | CURRENT_TIMESTAMP | CURRENT_TIME | LOCALTIMESTAMP | LOCALTIME
     | CURRENT_USER | SESSION_USER | USER) (OPEN_PAREN INTEGER CLOSE_PAREN)?   # sqlValueFunc
  ;

trimArgs
  : expr FROM exprList    # trimCharsFrom
  | FROM exprList         # trimFrom
  | exprList              # trimList
  ;

exprList : expr (COMMA expr)* ;

// ---------------------------------------------------------------- types

// int[], int[3][], int ARRAY, int ARRAY[3]: all the same one array type.
typeName : simpleTypeName ((OPEN_BRACKET INTEGER? CLOSE_BRACKET)* | ARRAY (OPEN_BRACKET INTEGER CLOSE_BRACKET)?) ;

simpleTypeName
  : DOUBLE PRECISION                                              # doubleType
  | (CHARACTER | CHAR) VARYING? typeMods?                         # charType
  | (TIMESTAMP | TIME) typeMods? ((WITH | WITHOUT) TIME ZONE)?    # timeType
  | INTERVAL                                                      # intervalType
  | funcIdent (DOT colLabel)? typeMods?                           # genericType
  ;

typeMods : OPEN_PAREN INTEGER (COMMA INTEGER)* CLOSE_PAREN ;

// ---------------------------------------------------------------- names

qualifiedName : identifier (DOT colLabel)? ;

identifierList : identifier (COMMA identifier)* ;

// ColId: names of columns, tables, aliases.
identifier
  : IDENTIFIER | QUOTED_IDENTIFIER | UNICODE_QUOTED_IDENTIFIER | unreservedKeyword | colNameKeyword
  ;

// Function and type names: type_func_name keywords (left, right) are allowed,
// col_name keywords are not (they are the special forms above).
funcIdent
  : IDENTIFIER | QUOTED_IDENTIFIER | UNICODE_QUOTED_IDENTIFIER | unreservedKeyword | typeFuncNameKeyword
  ;

// ColLabel: after AS, after a dot; any keyword.
colLabel
  : identifier | typeFuncNameKeyword | reservedKeyword | BETWEEN | EXISTS | ROW | VALUES
  ;

colNameKeyword
  : CHAR | CHARACTER | COALESCE | EXTRACT | GREATEST | INTERVAL | LEAST | NULLIF | POSITION | PRECISION
  | SUBSTRING | TIME | TIMESTAMP | TRIM
  ;

typeFuncNameKeyword
  : CROSS | FULL | ILIKE | INNER | IS | ISNULL | JOIN | LEFT | LIKE | NATURAL | NOTNULL | OUTER | RIGHT | VERBOSE
  ;

unreservedKeyword
  : OPERATOR_P | CHARACTERISTICS | COMMENT | VIEW | REPLACE | CASCADED | OPTION | ABORT | ACTION | ADD | ALTER | BEGIN | BY | CASCADE | COMMIT | COMMITTED | CONFLICT | COPY | CSV
  | MATERIALIZED | RECURSIVE | DEFERRABLE | DEFERRED | IMMEDIATE | INITIALLY
  | ADMIN | CONNECTION | ENCRYPTED | PASSWORD | ROLE | SYSID | UNENCRYPTED | UNTIL | VALID | SEQUENCE | GENERATED
  | DELETE | DELIMITER | DOUBLE | DROP | ESCAPE | EXPLAIN | FIRST | FORMAT | HEADER | IF | INDEX
  | INSERT | ISOLATION | KEY | LAST | LEVEL | LOCAL | LOCKED | MATCH | NEXT | NO | NOTHING | NOWAIT | NULLS | OF | PARTIAL
  | READ | RELEASE | RENAME | REPEATABLE | RESET | RESTRICT | ROLLBACK | ROWS | SAVEPOINT | SERIALIZABLE | SESSION | SET
  | SHARE | SHOW | SIMPLE | SKIP_P | START | STDIN | STDOUT | TEMP | TEMPORARY | TRANSACTION | TRUNCATE | UNCOMMITTED
  | UNKNOWN | UPDATE | VACUUM | VARYING | WITHOUT | WORK | WRITE | ZONE
  | OVER | PARTITION | RANGE | GROUPS | UNBOUNDED | PRECEDING | FOLLOWING | CURRENT | EXCLUDE | TIES | OTHERS
  | REVOKE | PRIVILEGES | SCHEMA | TABLES | SEQUENCES | GRANTED | OWNER | OWNED | REASSIGN
  | PREPARE | EXECUTE | DEALLOCATE
  | DECLARE | CURSOR | SCROLL | HOLD | BINARY | MOVE | CLOSE | PRIOR | ABSOLUTE | RELATIVE | FORWARD | BACKWARD
  | DISCARD | PLANS
  | LOCK | ACCESS | MODE | EXCLUSIVE
  ;

reservedKeyword
  : COLLATE | ALL | AND | ANALYZE | ANY | ARRAY | AS | ASC | BOTH | CASE | CAST | CHECK | COLUMN | CONSTRAINT | CREATE
  | CURRENT_DATE | CURRENT_TIME | CURRENT_TIMESTAMP | CURRENT_USER | DEFAULT | DESC | DISTINCT | DO
  | ELSE | END | EXCEPT | FALSE_P | FETCH | FOR | FOREIGN | FROM | GROUP | HAVING | IN | INTERSECT
  | INTO | LEADING | LIMIT | LOCALTIME | LOCALTIMESTAMP | NOT | NULL_P | OFFSET | ON | ONLY | OR | ORDER
  | PRIMARY | REFERENCES | RETURNING | SELECT | SESSION_USER | SOME | SYMMETRIC | TABLE | THEN | TO
  | TRAILING | TRUE_P | UNION | UNIQUE | USER | USING | WHEN | WHERE | WINDOW | WITH
  | GRANT
  ;
