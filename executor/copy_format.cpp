#include "executor/copy_format.h"

#include <algorithm>

#include "common/error.h"

namespace tessera::executor {

namespace {

SqlError BadCopyData(const std::string& message) { return SqlError("22P04", message); }

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// "a", "(a, b)" or "*" as written in FORCE_NOT_NULL / FORCE_QUOTE.
std::vector<std::string> ColumnList(const std::string& value) {
  std::vector<std::string> out;
  std::string current;
  for (char c : value) {
    if (c == '(' || c == ')' || c == ' ' || c == '"') continue;
    if (c == ',') {
      if (!current.empty()) out.push_back(current);
      current.clear();
      continue;
    }
    current.push_back(c);
  }
  if (!current.empty()) out.push_back(current);
  return out;
}

char SingleByte(const std::string& value, const char* what) {
  if (value.size() != 1)
    throw SqlError(sqlstate::kFeatureNotSupported, std::string("COPY ") + what + " must be a single one-byte character");
  return value[0];
}

bool IsOctal(char c) { return c >= '0' && c <= '7'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// PostgreSQL's text-format de-escaping (CopyReadAttributesText).
std::string Unescape(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c != '\\' || i + 1 >= raw.size()) {
      out.push_back(c);
      continue;
    }
    c = raw[++i];
    if (IsOctal(c)) {
      int v = c - '0';
      for (int k = 0; k < 2 && i + 1 < raw.size() && IsOctal(raw[i + 1]); ++k) v = v * 8 + (raw[++i] - '0');
      out.push_back(static_cast<char>(v & 0xff));
      continue;
    }
    switch (c) {
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 't': out.push_back('\t'); break;
      case 'v': out.push_back('\v'); break;
      case 'x': {
        if (i + 1 < raw.size() && HexValue(raw[i + 1]) >= 0) {
          int v = HexValue(raw[++i]);
          if (i + 1 < raw.size() && HexValue(raw[i + 1]) >= 0) v = v * 16 + HexValue(raw[++i]);
          out.push_back(static_cast<char>(v));
        } else {
          out.push_back('x');
        }
        break;
      }
      default: out.push_back(c);
    }
  }
  return out;
}

}  // namespace

CopyOptions CopyOptions::From(const ast::CopyStmt& stmt) {
  CopyOptions o;
  std::string format = Lower(stmt.format);
  if (format == "csv") {
    o.csv = true;
  } else if (format == "binary") {
    o.binary = true;
  } else if (format != "text") {
    throw SqlError(sqlstate::kInvalidParameterValue, "COPY format \"" + stmt.format + "\" not recognized");
  }
  if (o.csv) {
    o.delimiter = ',';
    o.null_string.clear();
  }
  bool quote_set = false, escape_set = false;
  for (auto& [raw_name, value] : stmt.options) {
    std::string name = Lower(raw_name);
    if (name == "format" || name == "csv" || name == "binary" || name == "header" || name == "freeze" ||
        name == "encoding" || name == "oids") {
      continue;  // handled by the parser, or accepted without effect
    } else if (name == "delimiter") {
      o.delimiter = SingleByte(value, "delimiter");
    } else if (name == "null") {
      o.null_string = value;
    } else if (name == "quote") {
      o.quote = SingleByte(value, "quote");
      quote_set = true;
    } else if (name == "escape") {
      o.escape = SingleByte(value, "escape");
      escape_set = true;
    } else if (name == "force_not_null") {
      o.force_not_null = ColumnList(value);
    } else if (name == "force_quote") {
      o.force_quote = ColumnList(value);
      o.force_quote_all = o.force_quote.size() == 1 && o.force_quote[0] == "*";
    } else {
      throw SqlError(sqlstate::kSyntaxError, "option \"" + raw_name + "\" not recognized");
    }
  }
  if (!o.csv && quote_set) throw SqlError(sqlstate::kFeatureNotSupported, "COPY quote available only in CSV mode");
  if (!o.csv && escape_set) throw SqlError(sqlstate::kFeatureNotSupported, "COPY escape available only in CSV mode");
  if (!escape_set) o.escape = o.quote;
  o.header = stmt.header;
  if (o.binary && o.header) throw SqlError(sqlstate::kFeatureNotSupported, "cannot specify HEADER in BINARY mode");
  if (o.null_string.find(o.delimiter) != std::string::npos)
    throw SqlError(sqlstate::kFeatureNotSupported, "COPY delimiter must not appear in the NULL specification");
  if (o.csv && o.delimiter == o.quote)
    throw SqlError(sqlstate::kFeatureNotSupported, "COPY delimiter and quote must be different");
  if (!o.csv && (o.delimiter == '\\' || o.delimiter == '\n' || o.delimiter == '\r' ||
                 std::string("abcdefghijklmnopqrstuvwxyz0123456789.").find(o.delimiter) != std::string::npos))
    throw SqlError(sqlstate::kFeatureNotSupported, "COPY delimiter cannot be \"" + std::string(1, o.delimiter) + "\"");
  return o;
}

void CopyParser::Compact() {
  if (pos_ > (1 << 20) && pos_ * 2 > buffer_.size()) {
    buffer_.erase(0, pos_);
    pos_ = 0;
  }
}

bool CopyParser::Next(CopyRecord* record, bool at_end) {
  while (!ended_) {
    bool got = options_.csv ? NextCsv(record, at_end) : NextText(record, at_end);
    if (!got) return false;
    if (options_.header && line_ == 1) continue;
    return true;
  }
  return false;
}

bool CopyParser::NextText(CopyRecord* record, bool at_end) {
  Compact();
  if (pos_ >= buffer_.size()) return false;
  size_t nl = buffer_.find('\n', pos_);
  if (nl == std::string::npos && !at_end) return false;
  size_t end = nl == std::string::npos ? buffer_.size() : nl;
  std::string_view line(buffer_.data() + pos_, end - pos_);
  pos_ = nl == std::string::npos ? buffer_.size() : nl + 1;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  ++line_;
  last_line_ = line;
  if (line == "\\.") {
    ended_ = true;
    return false;
  }
  record->clear();
  size_t start = 0;
  for (size_t i = 0;; ++i) {
    if (i < line.size() && line[i] == '\\') {
      ++i;  // the escaped character is data, even a delimiter
      continue;
    }
    if (i < line.size() && line[i] != options_.delimiter) continue;
    std::string_view raw = line.substr(start, std::min(i, line.size()) - start);
    if (raw == options_.null_string) {
      record->push_back(std::nullopt);
    } else {
      record->push_back(Unescape(raw));
    }
    if (i >= line.size()) break;
    start = i + 1;
  }
  return true;
}

bool CopyParser::NextCsv(CopyRecord* record, bool at_end) {
  Compact();
  if (pos_ >= buffer_.size()) return false;
  const char q = options_.quote, esc = options_.escape, delim = options_.delimiter;
  record->clear();
  std::string field;
  bool quoted_any = false, in_quote = false;
  size_t field_start = pos_;
  int64_t newlines = 0;
  size_t i = pos_;
  auto finish_field = [&](size_t raw_end) {
    std::string_view raw(buffer_.data() + field_start, raw_end - field_start);
    size_t column = record->size();
    bool forced = column < force_not_null_.size() && force_not_null_[column];
    if (!quoted_any && raw == options_.null_string && !forced) {
      record->push_back(std::nullopt);
    } else {
      record->push_back(std::move(field));
    }
    field.clear();
    quoted_any = false;
  };
  for (; i < buffer_.size(); ++i) {
    char c = buffer_[i];
    if (in_quote) {
      if (c == esc && i + 1 < buffer_.size() && (buffer_[i + 1] == q || buffer_[i + 1] == esc) &&
          !(esc == q && buffer_[i + 1] != q)) {
        field.push_back(buffer_[++i]);
      } else if (c == esc && esc == q && i + 1 >= buffer_.size() && !at_end) {
        return false;  // a doubled quote may be split across chunks
      } else if (c == q) {
        in_quote = false;
      } else {
        if (c == '\n') ++newlines;
        field.push_back(c);
      }
      continue;
    }
    if (c == q) {
      in_quote = true;
      quoted_any = true;
    } else if (c == delim) {
      finish_field(i);
      field_start = i + 1;
    } else if (c == '\n' || c == '\r') {
      break;
    } else {
      field.push_back(c);
    }
  }
  if (i >= buffer_.size() && !at_end) return false;
  if (in_quote) throw BadCopyData("unterminated CSV quoted field");
  size_t line_end = i;
  std::string_view whole(buffer_.data() + pos_, line_end - pos_);
  if (i < buffer_.size() && buffer_[i] == '\r') ++i;
  if (i < buffer_.size() && buffer_[i] == '\n') ++i;
  line_ += 1 + newlines;
  last_line_ = whole;
  if (whole == "\\.") {
    ended_ = true;
    pos_ = i;
    return false;
  }
  finish_field(line_end);
  pos_ = i;
  return true;
}

namespace {

void AppendText(const CopyOptions& o, const std::string& v, std::string* out) {
  for (char c : v) {
    switch (c) {
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      case '\v': out->append("\\v"); break;
      default:
        if (c == o.delimiter) out->push_back('\\');
        out->push_back(c);
    }
  }
}

void AppendCsv(const CopyOptions& o, const std::string& v, bool force, bool single_column, std::string* out) {
  bool quote = force || v == o.null_string || (single_column && v == "\\.");
  for (char c : v)
    if (c == o.delimiter || c == o.quote || c == '\n' || c == '\r') quote = true;
  if (!quote) {
    out->append(v);
    return;
  }
  out->push_back(o.quote);
  for (char c : v) {
    if (c == o.quote || c == o.escape) out->push_back(o.escape);
    out->push_back(c);
  }
  out->push_back(o.quote);
}

}  // namespace

void AppendCopyLine(const CopyOptions& options, const std::vector<std::optional<std::string>>& fields,
                    const std::vector<bool>& force_quote, std::string* out) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out->push_back(options.delimiter);
    if (!fields[i]) {
      out->append(options.null_string);
    } else if (options.csv) {
      AppendCsv(options, *fields[i], i < force_quote.size() && force_quote[i], fields.size() == 1, out);
    } else {
      AppendText(options, *fields[i], out);
    }
  }
  out->push_back('\n');
}

}  // namespace tessera::executor
