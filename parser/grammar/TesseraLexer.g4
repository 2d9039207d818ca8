// Lexer of Tessera's PostgreSQL dialect. Keywords are case-insensitive
// (fragment letters); identifiers are folded to lower case by the AST builder,
// not here, so quoted identifiers keep their case. Keyword classes follow
// PostgreSQL's kwlist.h (reserved / type_func_name / col_name / unreserved);
// the parser grammar decides where each class may serve as an identifier.
lexer grammar TesseraLexer;

// Set by ConsumeDollarBody / ConsumeBlockComment when the input ends early.
tokens { UNTERMINATED_DOLLAR, UNTERMINATED_COMMENT }

@lexer::members {
  // Dollar quoting (a body between two equal dollar-tag delimiters): the opening delimiter is matched
  // by the rule, the body up to the same delimiter is consumed here, since a
  // context-free lexer rule cannot compare the closing tag with the opening one.
  // An unterminated body turns the token into UNTERMINATED_DOLLAR.
  void ConsumeDollarBody() {
    std::string tag = getText();
    size_t matched = 0;
    while (true) {
      size_t c = _input->LA(1);
      if (c == antlr4::IntStream::EOF) {
        setType(UNTERMINATED_DOLLAR);
        return;
      }
      _input->consume();
      if (c == static_cast<size_t>(static_cast<unsigned char>(tag[matched]))) {
        if (++matched == tag.size()) return;
      } else {
        matched = (c == '$') ? 1 : 0;
      }
    }
  }

  // Block comments nest in PostgreSQL. Scanned here rather than by a
  // recursive rule so that a missing */ yields one UNTERMINATED_COMMENT token
  // (which the parser stops at) instead of a
  // longest-match rule swallowing the statement after a closed comment.
  void ConsumeBlockComment() {
    int depth = 1;
    while (true) {
      size_t c = _input->LA(1);
      if (c == antlr4::IntStream::EOF) {
        setType(UNTERMINATED_COMMENT);
        return;
      }
      _input->consume();
      if (c == '/' && _input->LA(1) == '*') {
        _input->consume();
        ++depth;
      } else if (c == '*' && _input->LA(1) == '/') {
        _input->consume();
        if (--depth == 0) {
          skip();
          return;
        }
      }
    }
  }
}


ALL : A L L;
AND : A N D;
ANALYZE : A N A L Y Z E;
ANY : A N Y;
ARRAY : A R R A Y;
AS : A S;
ASC : A S C;
BOTH : B O T H;
CASE : C A S E;
CAST : C A S T;
CHECK : C H E C K;
COLUMN : C O L U M N;
CONSTRAINT : C O N S T R A I N T;
CREATE : C R E A T E;
CURRENT_DATE : C U R R E N T '_' D A T E;
CURRENT_TIME : C U R R E N T '_' T I M E;
CURRENT_TIMESTAMP : C U R R E N T '_' T I M E S T A M P;
CURRENT_USER : C U R R E N T '_' U S E R;
DEFAULT : D E F A U L T;
DESC : D E S C;
DISTINCT : D I S T I N C T;
DO : D O;
ELSE : E L S E;
END : E N D;
EXCEPT : E X C E P T;
FALSE_P : F A L S E;
FETCH : F E T C H;
FOR : F O R;
FOREIGN : F O R E I G N;
FROM : F R O M;
GROUP : G R O U P;
HAVING : H A V I N G;
IN : I N;
INTERSECT : I N T E R S E C T;
INTO : I N T O;
LEADING : L E A D I N G;
LIMIT : L I M I T;
LOCALTIME : L O C A L T I M E;
LOCALTIMESTAMP : L O C A L T I M E S T A M P;
NOT : N O T;
NULL_P : N U L L;
OFFSET : O F F S E T;
ON : O N;
ONLY : O N L Y;
OR : O R;
ORDER : O R D E R;
PRIMARY : P R I M A R Y;
REFERENCES : R E F E R E N C E S;
RETURNING : R E T U R N I N G;
SELECT : S E L E C T;
SESSION_USER : S E S S I O N '_' U S E R;
SOME : S O M E;
SYMMETRIC : S Y M M E T R I C;
TABLE : T A B L E;
THEN : T H E N;
TO : T O;
TRAILING : T R A I L I N G;
TRUE_P : T R U E;
UNION : U N I O N;
UNIQUE : U N I Q U E;
USER : U S E R;
USING : U S I N G;
WHEN : W H E N;
WHERE : W H E R E;
WINDOW : W I N D O W;
WITH : W I T H;
COLLATE : C O L L A T E;
CROSS : C R O S S;
FULL : F U L L;
ILIKE : I L I K E;
INNER : I N N E R;
IS : I S;
ISNULL : I S N U L L;
JOIN : J O I N;
LEFT : L E F T;
LIKE : L I K E;
NATURAL : N A T U R A L;
NOTNULL : N O T N U L L;
OUTER : O U T E R;
RIGHT : R I G H T;
VERBOSE : V E R B O S E;
BETWEEN : B E T W E E N;
CHAR : C H A R;
CHARACTER : C H A R A C T E R;
COALESCE : C O A L E S C E;
EXISTS : E X I S T S;
EXTRACT : E X T R A C T;
GREATEST : G R E A T E S T;
INTERVAL : I N T E R V A L;
LEAST : L E A S T;
NULLIF : N U L L I F;
POSITION : P O S I T I O N;
PRECISION : P R E C I S I O N;
ROW : R O W;
SUBSTRING : S U B S T R I N G;
TIME : T I M E;
TIMESTAMP : T I M E S T A M P;
TRIM : T R I M;
VALUES : V A L U E S;
ABORT : A B O R T;
ACTION : A C T I O N;
DEFERRABLE : D E F E R R A B L E;
DEFERRED : D E F E R R E D;
IMMEDIATE : I M M E D I A T E;
INITIALLY : I N I T I A L L Y;
ADD : A D D;
ALTER : A L T E R;
BEGIN : B E G I N;
BY : B Y;
CASCADE : C A S C A D E;
CHARACTERISTICS : C H A R A C T E R I S T I C S;
COMMENT : C O M M E N T;
COMMIT : C O M M I T;
COMMITTED : C O M M I T T E D;
CONFLICT : C O N F L I C T;
COPY : C O P Y;
CSV : C S V;
DELETE : D E L E T E;
DELIMITER : D E L I M I T E R;
DOUBLE : D O U B L E;
DROP : D R O P;
ESCAPE : E S C A P E;
EXPLAIN : E X P L A I N;
FIRST : F I R S T;
FORMAT : F O R M A T;
HEADER : H E A D E R;
IF : I F;
INDEX : I N D E X;
INSERT : I N S E R T;
ISOLATION : I S O L A T I O N;
KEY : K E Y;
LAST : L A S T;
LEVEL : L E V E L;
LOCAL : L O C A L;
LOCKED : L O C K E D;
MATCH : M A T C H;
MATERIALIZED : M A T E R I A L I Z E D;
RECURSIVE : R E C U R S I V E;
NEXT : N E X T;
NO : N O;
NOTHING : N O T H I N G;
NOWAIT : N O W A I T;
NULLS : N U L L S;
OF : O F;
PARTIAL : P A R T I A L;
READ : R E A D;
RENAME : R E N A M E;
REPEATABLE : R E P E A T A B L E;
RESET : R E S E T;
RESTRICT : R E S T R I C T;
ROLLBACK : R O L L B A C K;
ROWS : R O W S;
RELEASE : R E L E A S E;
SAVEPOINT : S A V E P O I N T;
SERIALIZABLE : S E R I A L I Z A B L E;
SESSION : S E S S I O N;
SET : S E T;
SHARE : S H A R E;
SHOW : S H O W;
SIMPLE : S I M P L E;
SKIP_P : S K I P;
START : S T A R T;
STDIN : S T D I N;
STDOUT : S T D O U T;
TEMP : T E M P;
TEMPORARY : T E M P O R A R Y;
TRANSACTION : T R A N S A C T I O N;
TRUNCATE : T R U N C A T E;
UNCOMMITTED : U N C O M M I T T E D;
UNKNOWN : U N K N O W N;
UPDATE : U P D A T E;
VACUUM : V A C U U M;
PREPARE : P R E P A R E;
EXECUTE : E X E C U T E;
DEALLOCATE : D E A L L O C A T E;
DECLARE : D E C L A R E;
CURSOR : C U R S O R;
SCROLL : S C R O L L;
HOLD : H O L D;
BINARY : B I N A R Y;
MOVE : M O V E;
CLOSE : C L O S E;
PRIOR : P R I O R;
ABSOLUTE : A B S O L U T E;
RELATIVE : R E L A T I V E;
FORWARD : F O R W A R D;
BACKWARD : B A C K W A R D;
DISCARD : D I S C A R D;
LOCK : L O C K;
ACCESS : A C C E S S;
MODE : M O D E;
EXCLUSIVE : E X C L U S I V E;
PLANS : P L A N S;
VARYING : V A R Y I N G;
WITHOUT : W I T H O U T;
WORK : W O R K;
WRITE : W R I T E;
OVER : O V E R;
PARTITION : P A R T I T I O N;
RANGE : R A N G E;
GROUPS : G R O U P S;
UNBOUNDED : U N B O U N D E D;
PRECEDING : P R E C E D I N G;
FOLLOWING : F O L L O W I N G;
CURRENT : C U R R E N T;
EXCLUDE : E X C L U D E;
TIES : T I E S;
OTHERS : O T H E R S;
ZONE : Z O N E;
OPERATOR_P : O P E R A T O R;
VIEW : V I E W;
REPLACE : R E P L A C E;
CASCADED : C A S C A D E D;
OPTION : O P T I O N;
ADMIN : A D M I N;
CONNECTION : C O N N E C T I O N;
ENCRYPTED : E N C R Y P T E D;
PASSWORD : P A S S W O R D;
ROLE : R O L E;
SYSID : S Y S I D;
UNENCRYPTED : U N E N C R Y P T E D;
UNTIL : U N T I L;
VALID : V A L I D;
SEQUENCE : S E Q U E N C E;
GENERATED : G E N E R A T E D;
GRANT : G R A N T;
REVOKE : R E V O K E;
PRIVILEGES : P R I V I L E G E S;
SCHEMA : S C H E M A;
TABLES : T A B L E S;
SEQUENCES : S E Q U E N C E S;
GRANTED : G R A N T E D;
OWNER : O W N E R;
OWNED : O W N E D;
REASSIGN : R E A S S I G N;

// Operators and punctuation.
TYPECAST : '::';
CONCAT : '||';
LESS_EQUALS : '<=';
GREATER_EQUALS : '>=';
NOT_EQUALS : '<>' | '!=';
EQUALS : '=';
LESS : '<';
GREATER : '>';
PLUS : '+';
MINUS : '-';
STAR : '*';
SLASH : '/';
PERCENT : '%';
CARET : '^';
OPEN_PAREN : '(';
CLOSE_PAREN : ')';
OPEN_BRACKET : '[';
CLOSE_BRACKET : ']';
COMMA : ',';
SEMI : ';';
COLON : ':';
DOT : '.';
// Pattern-match and bit operators, passed through by name (~~ is LIKE).
OPERATOR : '@>' | '<@' | '&&' | '~' | '!~' | '~*' | '!~*' | '~~' | '!~~' | '~~*' | '!~~*' | '<<' | '>>' | '&' | '|' | '#';

PARAM : '$' [0-9]+;

INTEGER : DIGIT+;
DECIMAL : DIGIT+ '.' DIGIT* EXPONENT? | '.' DIGIT+ EXPONENT? | DIGIT+ EXPONENT;

IDENTIFIER : IDENT_START IDENT_CONT*;
QUOTED_IDENTIFIER : '"' ( ~'"' | '""' )+ '"';
UNICODE_QUOTED_IDENTIFIER : U '&"' ( ~'"' | '""' )+ '"';
// "" is a zero-length identifier in PostgreSQL too.
EMPTY_QUOTED_IDENTIFIER : '""';

STRING : '\'' ( ~'\'' | '\'\'' )* '\'';
ESCAPE_STRING : E '\'' ( ~['\\] | '\\' . | '\'\'' )* '\'';
UNICODE_STRING : U '&\'' ( ~'\'' | '\'\'' )* '\'';
BIT_STRING : B '\'' [01]* '\'';
HEX_STRING : X '\'' [0-9a-fA-F]* '\'';
// Tags are ASCII here (PostgreSQL allows any letter): ConsumeDollarBody
// compares the tag byte by byte with code points.
DOLLAR_STRING : '$' ( [a-zA-Z_] [a-zA-Z_0-9]* )? '$' { ConsumeDollarBody(); };

// Unterminated forms: longer than any terminated prefix, so they only win
// when the closing quote is missing; the driver turns them into PostgreSQL's
// "unterminated ..." errors.
UNTERMINATED_STRING : '\'' ( ~'\'' | '\'\'' )*;
UNTERMINATED_ESCAPE_STRING : E '\'' ( ~['\\] | '\\' . | '\'\'' )* '\\'?;
UNTERMINATED_QUOTED_IDENTIFIER : '"' ( ~'"' | '""' )*;

LINE_COMMENT : '--' ~[\r\n]* -> skip;
BLOCK_COMMENT : '/*' { ConsumeBlockComment(); };
WHITESPACE : [ \t\r\n\f]+ -> skip;

// Anything else: a one-character token the parser reports as a syntax error.
ERROR_CHAR : .;

fragment DIGIT : [0-9];
fragment EXPONENT : [eE] [+-]? DIGIT+;
fragment IDENT_START : [a-zA-Z_\u0080-\u{10FFFF}];
fragment IDENT_CONT : [a-zA-Z_0-9$\u0080-\u{10FFFF}];

fragment A : [aA];
fragment B : [bB];
fragment C : [cC];
fragment D : [dD];
fragment E : [eE];
fragment F : [fF];
fragment G : [gG];
fragment H : [hH];
fragment I : [iI];
fragment J : [jJ];
fragment K : [kK];
fragment L : [lL];
fragment M : [mM];
fragment N : [nN];
fragment O : [oO];
fragment P : [pP];
fragment Q : [qQ];
fragment R : [rR];
fragment S : [sS];
fragment T : [tT];
fragment U : [uU];
fragment V : [vV];
fragment W : [wW];
fragment X : [xX];
fragment Y : [yY];
fragment Z : [zZ];
