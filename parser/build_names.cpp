// Identifiers, string literals and type names: the lexical rules of
// PostgreSQL's scan.l that the ANTLR lexer leaves to us (case folding,
// unquoting, escape processing).
#include <cstdint>

#include "common/error.h"
#include "common/utf8.h"
#include "parser/ast_builder.h"

namespace tessera {

namespace {

// PostgreSQL's NAMEDATALEN - 1; longer names are truncated (with a NOTICE there).
constexpr size_t kMaxIdentifierBytes = 63;

std::string TruncateIdentifier(std::string s) {
  if (s.size() <= kMaxIdentifierBytes) return s;
  size_t n = kMaxIdentifierBytes;
  // Do not cut a UTF-8 sequence in half.
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
  return s;
}

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Reads up to `max` hex digits at s[i]; advances i.
uint32_t ReadHex(const std::string& s, size_t& i, int max) {
  uint32_t v = 0;
  for (int n = 0; n < max && i < s.size() && HexDigit(s[i]) >= 0; ++n) v = v * 16 + HexDigit(s[i++]);
  return v;
}

// Body between the quotes with a doubled quote char turned into one.
std::string Undouble(const std::string& body, char quote) {
  std::string out;
  out.reserve(body.size());
  for (size_t i = 0; i < body.size(); ++i) {
    out += body[i];
    if (body[i] == quote && i + 1 < body.size() && body[i + 1] == quote) ++i;
  }
  return out;
}

// U&'...' and U&"...": \XXXX and \+XXXXXX escapes, \\ for a backslash.
std::string UnicodeUnescape(const std::string& body, int location) {
  std::string out;
  for (size_t i = 0; i < body.size();) {
    if (body[i] != '\\') {
      out += body[i++];
      continue;
    }
    if (i + 1 < body.size() && body[i + 1] == '\\') {
      out += '\\';
      i += 2;
      continue;
    }
    size_t start = ++i;
    int digits = 4;
    if (i < body.size() && body[i] == '+') {
      digits = 6;
      start = ++i;
    }
    uint32_t cp = ReadHex(body, i, digits);
    if (static_cast<int>(i - start) != digits) {
      throw SqlError(sqlstate::kSyntaxError, "invalid Unicode escape", {},
                     "Unicode escapes must be \\XXXX or \\+XXXXXX.", location + 1);
    }
    AppendUtf8(out, cp);
  }
  return out;
}

// E'...': PostgreSQL's backslash escapes.
std::string BackslashUnescape(const std::string& body) {
  std::string out;
  out.reserve(body.size());
  for (size_t i = 0; i < body.size();) {
    char c = body[i];
    if (c == '\'') {  // '' inside E''
      out += '\'';
      i += 2;
      continue;
    }
    if (c != '\\' || i + 1 >= body.size()) {
      out += c;
      ++i;
      continue;
    }
    char e = body[i + 1];
    i += 2;
    switch (e) {
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'x':
        if (i < body.size() && HexDigit(body[i]) >= 0) {
          out += static_cast<char>(ReadHex(body, i, 2));
        } else {
          out += 'x';
        }
        break;
      case 'u': AppendUtf8(out, ReadHex(body, i, 4)); break;
      case 'U': AppendUtf8(out, ReadHex(body, i, 8)); break;
      default:
        if (e >= '0' && e <= '7') {
          int v = e - '0';
          for (int n = 0; n < 2 && i < body.size() && body[i] >= '0' && body[i] <= '7'; ++n) v = v * 8 + (body[i++] - '0');
          out += static_cast<char>(v & 0xFF);
        } else {
          out += e;
        }
    }
  }
  utf8::Check(out);  // \000 or \xff make no valid text (22021)
  return out;
}

}  // namespace

int Loc(antlr4::Token* token) { return static_cast<int>(token->getStartIndex()); }
int Loc(antlr4::ParserRuleContext* ctx) { return Loc(ctx->getStart()); }

std::string LowerAscii(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

std::string FoldIdentifierToken(antlr4::Token* token) {
  std::string text = token->getText();
  switch (token->getType()) {
    case TP::QUOTED_IDENTIFIER:
      return TruncateIdentifier(Undouble(text.substr(1, text.size() - 2), '"'));
    case TP::UNICODE_QUOTED_IDENTIFIER:
      return TruncateIdentifier(UnicodeUnescape(Undouble(text.substr(3, text.size() - 4), '"'), Loc(token)));
    default:
      return TruncateIdentifier(LowerAscii(std::move(text)));
  }
}

// identifier, colLabel and funcIdent all match exactly one token.
std::string Identifier(TP::IdentifierContext* ctx) { return FoldIdentifierToken(ctx->getStart()); }
std::string ColLabel(TP::ColLabelContext* ctx) { return FoldIdentifierToken(ctx->getStart()); }
std::string FuncIdent(TP::FuncIdentContext* ctx) { return FoldIdentifierToken(ctx->getStart()); }

std::vector<std::string> IdentifierList(TP::IdentifierListContext* ctx) {
  std::vector<std::string> out;
  if (ctx == nullptr) return out;
  for (auto* id : ctx->identifier()) out.push_back(Identifier(id));
  return out;
}

ast::QualifiedName QualifiedName(TP::QualifiedNameContext* ctx) {
  ast::QualifiedName name;
  name.location = Loc(ctx);
  if (ctx->colLabel() != nullptr) {
    name.schema = Identifier(ctx->identifier());
    name.name = ColLabel(ctx->colLabel());
  } else {
    name.name = Identifier(ctx->identifier());
  }
  return name;
}

std::string StringConst(TP::StringConstContext* ctx) {
  antlr4::Token* token = ctx->getStart();
  const std::string text = token->getText();
  switch (token->getType()) {
    case TP::STRING:
      return Undouble(text.substr(1, text.size() - 2), '\'');
    case TP::ESCAPE_STRING:
      return BackslashUnescape(text.substr(2, text.size() - 3));
    case TP::UNICODE_STRING:
      return UnicodeUnescape(Undouble(text.substr(3, text.size() - 4), '\''), Loc(token));
    case TP::DOLLAR_STRING: {
      size_t tag = text.find('$', 1) + 1;  // the opening delimiter, "$tag$"
      return text.substr(tag, text.size() - 2 * tag);
    }
    default:
      return text;
  }
}

namespace {

std::vector<int32_t> TypeMods(TP::TypeModsContext* ctx) {
  std::vector<int32_t> mods;
  if (ctx == nullptr) return mods;
  for (auto* n : ctx->INTEGER()) {
    long long v = std::strtoll(n->getText().c_str(), nullptr, 10);
    if (v > INT32_MAX) v = INT32_MAX;
    mods.push_back(static_cast<int32_t>(v));
  }
  return mods;
}

}  // namespace

ast::TypeName BuildSimpleTypeName(TP::SimpleTypeNameContext* ctx) {
  ast::TypeName type;
  type.location = Loc(ctx);
  if (dynamic_cast<TP::DoubleTypeContext*>(ctx) != nullptr) {
    type.name = "double precision";
  } else if (auto* c = dynamic_cast<TP::CharTypeContext*>(ctx)) {
    type.name = LowerAscii(c->getStart()->getText());
    if (c->VARYING() != nullptr) type.name += " varying";
    type.modifiers = TypeMods(c->typeMods());
  } else if (auto* t = dynamic_cast<TP::TimeTypeContext*>(ctx)) {
    type.name = LowerAscii(t->getStart()->getText());
    if (t->WITH() != nullptr) type.name += " with time zone";
    if (t->WITHOUT() != nullptr) type.name += " without time zone";
    type.modifiers = TypeMods(t->typeMods());
  } else if (dynamic_cast<TP::IntervalTypeContext*>(ctx) != nullptr) {
    type.name = "interval";
  } else {
    auto* g = static_cast<TP::GenericTypeContext*>(ctx);
    type.name = FuncIdent(g->funcIdent());
    if (g->colLabel() != nullptr) type.name += "." + ColLabel(g->colLabel());
    type.modifiers = TypeMods(g->typeMods());
  }
  return type;
}

ast::TypeName BuildTypeName(TP::TypeNameContext* ctx) {
  ast::TypeName type = BuildSimpleTypeName(ctx->simpleTypeName());
  type.is_array = !ctx->OPEN_BRACKET().empty() || ctx->ARRAY() != nullptr;
  return type;
}

std::string OptionValueText(TP::OptionValueContext* ctx) {
  if (ctx->stringConst() != nullptr) return StringConst(ctx->stringConst());
  if (ctx->colLabel() != nullptr) return ColLabel(ctx->colLabel());
  std::string text = ctx->MINUS() != nullptr ? "-" : "";
  return text + ctx->getStop()->getText();
}

std::string VarValueText(TP::VarValueContext* ctx) {
  if (ctx->stringConst() != nullptr) return StringConst(ctx->stringConst());
  if (ctx->colLabel() != nullptr) return ColLabel(ctx->colLabel());
  std::string text = ctx->MINUS() != nullptr ? "-" : "";
  return text + ctx->getStop()->getText();
}

std::string VarName(TP::VarNameContext* ctx) {
  std::string name;
  for (auto* id : ctx->identifier()) {
    if (!name.empty()) name += '.';
    name += Identifier(id);
  }
  return name;
}

}  // namespace tessera
