// Markdown → MdNode tree through md4c's SAX-style parser (blocks, spans and text callbacks).
#include <md4c.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "core/utf8.hpp"
#include "lessons/lesson.hpp"

namespace gb {

namespace {

using K = MdNode::Kind;

bool is_inline(K k) {
  return k == K::text || k == K::strong || k == K::emph || k == K::code || k == K::link || k == K::soft_break ||
         k == K::hard_break;
}

struct Builder {
  MdNode root;
  std::vector<MdNode*> stack;  // open nodes; an ignored element pushes its parent again

  MdNode& top() { return *stack.back(); }
  void open(K kind, int level = 0, std::string url = {}) {
    MdNode n;
    n.kind = kind;
    n.level = level;
    n.url = std::move(url);
    top().children.push_back(std::move(n));
    stack.push_back(&top().children.back());
  }
  void open_ignored() { stack.push_back(&top()); }
  void close() {
    MdNode& n = top();
    if (n.kind == K::list_item) wrap_inlines(n);
    if (stack.size() > 1) stack.pop_back();
  }
  // Tight list items hold spans directly; group runs of spans into paragraphs.
  static void wrap_inlines(MdNode& item) {
    std::vector<MdNode> out;
    for (auto& c : item.children) {
      if (is_inline(c.kind)) {
        if (out.empty() || out.back().kind != K::paragraph || !out.back().level) {
          MdNode p;
          p.kind = K::paragraph;
          p.level = 1;  // marks a paragraph made here (still open for more spans)
          out.push_back(std::move(p));
        }
        out.back().children.push_back(std::move(c));
      } else {
        if (!out.empty() && out.back().kind == K::paragraph) out.back().level = 0;
        out.push_back(std::move(c));
      }
    }
    for (auto& c : out)
      if (c.kind == K::paragraph) c.level = 0;
    item.children = std::move(out);
  }
  void add_text(const std::string& s) {
    MdNode& t = top();
    if (t.kind == K::code || t.kind == K::code_block) {
      t.text += s;
      return;
    }
    if (!t.children.empty() && t.children.back().kind == K::text) {
      t.children.back().text += s;
      return;
    }
    MdNode n;
    n.kind = K::text;
    n.text = s;
    t.children.push_back(std::move(n));
  }
  void add_leaf(K kind) {
    MdNode n;
    n.kind = kind;
    top().children.push_back(std::move(n));
  }
};

std::string attr(const MD_ATTRIBUTE& a) { return a.text ? std::string(a.text, a.size) : std::string(); }

std::string decode_entity(const std::string& e) {
  if (e == "&amp;") return "&";
  if (e == "&lt;") return "<";
  if (e == "&gt;") return ">";
  if (e == "&quot;") return "\"";
  if (e == "&apos;") return "'";
  if (e == "&nbsp;") return "\xC2\xA0";
  if (e == "&mdash;") return "\xE2\x80\x94";
  if (e == "&ndash;") return "\xE2\x80\x93";
  if (e == "&hellip;") return "\xE2\x80\xA6";
  if (e.size() > 3 && e[1] == '#') {
    bool hex = e[2] == 'x' || e[2] == 'X';
    std::string digits = e.substr(hex ? 3 : 2, e.size() - (hex ? 4 : 3));
    char* end = nullptr;
    unsigned long cp = std::strtoul(digits.c_str(), &end, hex ? 16 : 10);
    if (!digits.empty() && end && *end == 0 && cp > 0 && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF)) {
      std::string out;
      utf8_append(out, char32_t(cp));
      return out;
    }
  }
  return e;
}

int enter_block(MD_BLOCKTYPE type, void* detail, void* user) {
  auto& b = *static_cast<Builder*>(user);
  switch (type) {
    case MD_BLOCK_DOC: b.open_ignored(); break;
    case MD_BLOCK_QUOTE: b.open(K::quote); break;
    case MD_BLOCK_UL: b.open(K::bullet_list); break;
    case MD_BLOCK_OL: b.open(K::ordered_list, int(static_cast<MD_BLOCK_OL_DETAIL*>(detail)->start)); break;
    case MD_BLOCK_LI: b.open(K::list_item); break;
    case MD_BLOCK_HR: b.open(K::rule); break;
    case MD_BLOCK_H: b.open(K::heading, int(static_cast<MD_BLOCK_H_DETAIL*>(detail)->level)); break;
    case MD_BLOCK_CODE: b.open(K::code_block); break;
    case MD_BLOCK_P: b.open(K::paragraph); break;
    default: b.open(K::paragraph); break;  // HTML (off), tables (off): shown as plain paragraphs
  }
  return 0;
}

int leave_block(MD_BLOCKTYPE, void*, void* user) {
  static_cast<Builder*>(user)->close();
  return 0;
}

int enter_span(MD_SPANTYPE type, void* detail, void* user) {
  auto& b = *static_cast<Builder*>(user);
  switch (type) {
    case MD_SPAN_EM: b.open(K::emph); break;
    case MD_SPAN_STRONG: b.open(K::strong); break;
    case MD_SPAN_CODE: b.open(K::code); break;
    case MD_SPAN_A: b.open(K::link, 0, attr(static_cast<MD_SPAN_A_DETAIL*>(detail)->href)); break;
    case MD_SPAN_IMG: b.open(K::link, 0, attr(static_cast<MD_SPAN_IMG_DETAIL*>(detail)->src)); break;
    default: b.open_ignored(); break;  // strikethrough, underline…: the text alone
  }
  return 0;
}

int leave_span(MD_SPANTYPE, void*, void* user) {
  static_cast<Builder*>(user)->close();
  return 0;
}

int text_cb(MD_TEXTTYPE type, const MD_CHAR* text, MD_SIZE size, void* user) {
  auto& b = *static_cast<Builder*>(user);
  std::string s(text, size);
  switch (type) {
    case MD_TEXT_NULLCHAR: b.add_text("\xEF\xBF\xBD"); break;
    case MD_TEXT_BR: b.top().kind == K::code_block ? b.add_text("\n") : b.add_leaf(K::hard_break); break;
    case MD_TEXT_SOFTBR: b.top().kind == K::code_block ? b.add_text("\n") : b.add_leaf(K::soft_break); break;
    case MD_TEXT_ENTITY: b.add_text(decode_entity(s)); break;
    default: b.add_text(s); break;
  }
  return 0;
}

void plain(const MdNode& n, std::string& out) {
  switch (n.kind) {
    case K::text:
    case K::code: out += n.text; return;
    case K::code_block: out += n.text; break;
    case K::soft_break: out += ' '; return;
    case K::hard_break: out += '\n'; return;
    default: break;
  }
  for (auto& c : n.children) plain(c, out);
  if (!is_inline(n.kind) && n.kind != K::document && n.kind != K::list_item && n.kind != K::bullet_list &&
      n.kind != K::ordered_list && n.kind != K::quote) {
    while (!out.empty() && out.back() == '\n') out.pop_back();
    out += "\n";
  }
}

}  // namespace

MdNode parse_markdown(std::string_view text) {
  Builder b;
  b.root.kind = K::document;
  b.stack.push_back(&b.root);
  MD_PARSER p{};
  p.abi_version = 0;
  p.flags = MD_FLAG_NOHTML | MD_FLAG_STRIKETHROUGH | MD_FLAG_PERMISSIVEURLAUTOLINKS;
  p.enter_block = enter_block;
  p.leave_block = leave_block;
  p.enter_span = enter_span;
  p.leave_span = leave_span;
  p.text = text_cb;
  if (md_parse(text.data(), MD_SIZE(text.size()), &p, &b) != 0) {
    MdNode fallback;  // md4c only fails on out-of-memory; show the text as it is
    fallback.kind = K::document;
    MdNode para;
    para.kind = K::paragraph;
    MdNode t;
    t.kind = K::text;
    t.text = std::string(text);
    para.children.push_back(std::move(t));
    fallback.children.push_back(std::move(para));
    return fallback;
  }
  return std::move(b.root);
}

std::string markdown_plain_text(const MdNode& node) {
  std::string out;
  plain(node, out);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace gb
