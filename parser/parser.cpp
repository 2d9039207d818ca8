// The parse driver: ANTLR's two-stage strategy. Stage one predicts with SLL
// and bails out on the first error without recovery; that is exact for
// nearly every statement and much faster than full LL. Only when it fails is
// the input parsed again with full LL prediction, which either succeeds
// (SLL was too weak) or reports the real syntax error with its position.
#include "parser/parser.h"

#include <atomic>
#include <stdexcept>

#include "TesseraLexer.h"
#include "common/error.h"
#include "parser/ast_builder.h"
#include "parser/utf8_input_stream.h"

namespace tessera {

namespace {

std::atomic<uint64_t> ll_fallbacks{0};

std::string Quoted(const std::string& text) { return "\"" + text + "\""; }

// PostgreSQL's wording for the token a syntax error stopped at. Unterminated
// literals arrive as tokens of their own (see TesseraLexer.g4).
SqlError SyntaxErrorAt(antlr4::Token* token, size_t input_chars) {
  if (token == nullptr || token->getType() == antlr4::Token::EOF) {
    return SqlError(sqlstate::kSyntaxError, "syntax error at end of input", {}, {}, static_cast<int>(input_chars) + 1);
  }
  const std::string text = token->getText();
  const int position = Loc(token) + 1;
  std::string message;
  switch (token->getType()) {
    case TP::UNTERMINATED_STRING:
    case TP::UNTERMINATED_ESCAPE_STRING:
      message = "unterminated quoted string at or near " + Quoted(text);
      break;
    case TP::UNTERMINATED_QUOTED_IDENTIFIER:
      message = "unterminated quoted identifier at or near " + Quoted(text);
      break;
    case TP::UNTERMINATED_COMMENT:
      message = "unterminated /* comment at or near " + Quoted(text);
      break;
    case TP::UNTERMINATED_DOLLAR:
      message = "unterminated dollar-quoted string at or near " + Quoted(text);
      break;
    case TP::EMPTY_QUOTED_IDENTIFIER:
      message = "zero-length delimited identifier at or near " + Quoted(text);
      break;
    default:
      message = "syntax error at or near " + Quoted(text);
  }
  return SqlError(sqlstate::kSyntaxError, message, {}, {}, position);
}

// Stage two reports the first error by throwing; nothing is recovered.
class ThrowingErrorListener : public antlr4::BaseErrorListener {
 public:
  explicit ThrowingErrorListener(size_t input_chars) : input_chars_(input_chars) {}
  void syntaxError(antlr4::Recognizer*, antlr4::Token* offending, size_t, size_t, const std::string&,
                   std::exception_ptr) override {
    throw SyntaxErrorAt(offending, input_chars_);
  }

 private:
  size_t input_chars_;
};

// Lexes the whole statement, token by token, before it is parsed. ANTLR and
// the AST builder recurse once per nesting level; a statement nested deeper
// than any real query would overflow the stack, so it is refused with
// 54001 at its first open parenthesis too many, as PostgreSQL refuses it,
// before the rest is lexed (a 180 MB statement of nested parentheses used
// to be lexed whole first, and its tokens alone took the server past its
// memory). Every token is charged to `memory`: the token, the parse tree
// and the AST built over it take memory in proportion, so a statement of
// hundreds of MB fails with 53200 rather than waking the kernel's OOM killer.
void LexWithinLimits(antlr4::CommonTokenStream& tokens, MemoryAccount* memory) {
  constexpr int kMaxDepth = 500;
  int depth = 0;
  for (;;) {
    antlr4::Token* token = tokens.LT(1);
    if (memory != nullptr) memory->Grow(kParseBytesPerToken);
    if (token->getType() == antlr4::Token::EOF) break;
    if (token->getType() == TP::OPEN_PAREN && ++depth > kMaxDepth) {
      throw SqlError("54001", "stack depth limit exceeded", {}, {}, Loc(token) + 1);
    }
    if (token->getType() == TP::CLOSE_PAREN) --depth;
    tokens.consume();
  }
  tokens.seek(0);
}

template <class Rule, class Build>
auto RunParser(std::string_view sql, MemoryAccount* memory, Rule rule, Build build) {
  auto input = std::make_unique<Utf8InputStream>(sql);
  tessera_antlr::TesseraLexer lexer(input.get());
  lexer.removeErrorListeners();
  antlr4::CommonTokenStream tokens(&lexer);
  TP parser(&tokens);
  parser.removeErrorListeners();
  auto* interpreter = parser.getInterpreter<antlr4::atn::ParserATNSimulator>();
  interpreter->setPredictionMode(antlr4::atn::PredictionMode::SLL);
  parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  LexWithinLimits(tokens, memory);
  AstBuilder builder(input.get());
  try {
    return build(builder, (parser.*rule)());
  } catch (const antlr4::ParseCancellationException&) {
    ll_fallbacks.fetch_add(1, std::memory_order_relaxed);
  }
  tokens.seek(0);
  parser.reset();
  ThrowingErrorListener listener(input->size());
  parser.addErrorListener(&listener);
  parser.setErrorHandler(std::make_shared<antlr4::DefaultErrorStrategy>());
  interpreter->setPredictionMode(antlr4::atn::PredictionMode::LL);
  return build(builder, (parser.*rule)());
}

}  // namespace

uint64_t ParserLlFallbackCount() { return ll_fallbacks.load(std::memory_order_relaxed); }

std::vector<ast::StatementPtr> ParseSql(std::string_view sql, MemoryAccount* memory) {
  return RunParser(sql, memory, &TP::root, [](AstBuilder& b, TP::RootContext* root) { return b.BuildRoot(root); });
}

ast::ExprPtr ParseExpression(std::string_view sql) {
  return RunParser(sql, nullptr, &TP::exprOnly, [](AstBuilder& b, TP::ExprOnlyContext* e) { return b.BuildExpr(e->expr()); });
}

}  // namespace tessera
