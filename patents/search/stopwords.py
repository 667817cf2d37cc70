"""The words search and matching ignore, as data: each with the reason it carries no meaning.

Three lists (docs/search.md explains the whole pipeline):

- ``FUNCTION_WORDS``: grammar words of any text, Chinese and English.
- ``PATENT_BOILERPLATE``: the drafting formulas of Chinese patent titles, abstracts and
  claims (一种 opens nearly every title, 本发明 nearly every abstract).
- ``DEMAND_PHRASING``: how an enterprise words a demand or a search (我公司需要…, 寻求…相关技术).
- ``DEMAND_CONVERSATION``: how an SME talks about itself and what it wants to buy in a
  demand (我们是一家…厂, 能够提高…, 欢迎转让或许可): conversational and procurement words
  that matching drops from a demand's text but patent search keeps (提高 and 转让 are
  fair search words).

Where they apply (``patents.search.text``):

- Queries (``parse_query``: patent and offer search) and free texts turned into terms
  (``text_terms``: demands, similar patents, IPC suggestions and the IPC statistics)
  drop all three, as whole rjieba words: 一种方法 searches 方法, 我公司需要电池 searches 电池.
  A query made only of them is a 400 (``query_too_common``).
- Matching (``enterprises.matching.terms.query_terms``: demands, similar patents, IPC
  suggestions of a free text) drops ``MATCHING_STOP_WORDS``: the three lists and
  ``DEMAND_CONVERSATION``, so the share of a demand's *meaningful* terms a patent contains
  decides its text score.
- Documents (``document_vector``) drop only ``INDEX_STOP_WORDS`` (function words and
  boilerplate), and only as words: every character and character pair of the text stays
  indexed, so any substring is still found. Demand phrasing stays in documents: 公司 is
  part of holder names and 需要 of abstracts.

Every word the index drops, queries drop too (``INDEX_STOP_WORDS <= QUERY_STOP_WORDS``),
so no query term ever fails because the index left it out. Changing the index list
affects documents written afterwards; searches stay correct either way, since characters
and pairs are always indexed.

Not a stop word, on purpose: 方法 ("method") is in most invention titles, but searchers
type it to find methods rather than devices (装置), so it is searched; common words cost
little in ranking (they weigh little) and nothing in recall. The same holds for 装置,
系统, 制备 and the like.
"""

from __future__ import annotations

from collections.abc import Mapping

FUNCTION_WORDS: Mapping[str, str] = {
    # Chinese particles, conjunctions and prepositions (rjieba keeps words that contain
    # them, such as 中药, 可靠, 等离子, 对称, whole: only a free-standing particle is dropped).
    "的": "structural particle (of, 's)",
    "和": "conjunction: and",
    "与": "conjunction: and, with",
    "及": "conjunction: and (formal)",
    "以及": "conjunction: as well as",
    "或": "conjunction: or",
    "为": "copula or preposition: is, for",
    "在": "preposition: at, in",
    "是": "copula: is",
    "了": "aspect particle",
    "等": "and so on (etc.)",
    "中": "in, among (在…中)",
    "对": "preposition: to, towards",
    "由": "preposition: by, from",
    "将": "object marker or future: will",
    "可": "modal: can, may",
    "该": "determiner: the said, this",
    "其": "pronoun: its",
    "本": "determiner: this, as in 本申请 and 本公司 (rjieba splits it off)",
    # English function words (the English fields use PostgreSQL's own list; these are
    # the ones met in queries and in Latin words inside Chinese text).
    "a": "English article",
    "an": "English article",
    "the": "English article",
    "and": "English conjunction",
    "or": "English conjunction",
    "of": "English preposition",
    "for": "English preposition",
    "to": "English preposition",
    "in": "English preposition",
    "on": "English preposition",
    "with": "English preposition",
    "by": "English preposition",
    "at": "English preposition",
    "from": "English preposition",
    "into": "English preposition",
    "as": "English conjunction",
    "is": "English copula",
    "are": "English copula",
    "be": "English copula",
    "its": "English pronoun",
    "this": "English determiner",
    "that": "English determiner",
    "which": "English pronoun",
    "e.g": "English abbreviation: for example (IPC titles use it often)",
    "i.e": "English abbreviation: that is",
    "etc": "English abbreviation: and so on",
}

PATENT_BOILERPLATE: Mapping[str, str] = {
    "本发明": "'the present invention': opens most invention abstracts",
    "本实用新型": "'the present utility model': opens utility-model abstracts",
    "本外观设计": "'the present design': opens design briefs",
    "本申请": "'the present application'",
    "本公开": "'the present disclosure'",
    "发明": "'invention', as in 本发明 and 发明内容: the document's kind, not its subject",
    "实用新型": "'utility model': the document's kind, not its subject",
    "公开": "'discloses', as in 本发明公开了…",
    "涉及": "'relates to', as in 本发明涉及…",
    "领域": "'field', as in 涉及…技术领域 (the technical field)",
    "一种": "'a kind of': opens nearly every title (一种…装置)",
    "及其": "'and its', as in …及其制备方法",
    "所述": "'said', in claims",
    "其中": "'wherein', in claims",
    "在于": "'lies in', as in 其特征在于 (characterised in that)",
    "包括": "'comprising', in claims and abstracts",
    "提供": "'provides', as in 本发明提供了…",
    "具有": "'having'",
    "通过": "'by means of'",
    "用于": "'for (use in)', as in 用于…的装置",
    "至少": "'at least', in claims",
    "多个": "'a plurality of', in claims",
    "一个": "'one', 'a'",
    "上述": "'the above-mentioned'",
    "invention": "English 'the present invention'",
    "disclosure": "English 'the present disclosure'",
    "discloses": "English 'the invention discloses'",
    "disclosed": "English 'a … is disclosed'",
    "relates": "English 'the invention relates to'",
    "wherein": "English claim wording",
    "thereof": "English claim wording ('method of making thereof')",
    "said": "English claim wording ('said electrode')",
}

DEMAND_PHRASING: Mapping[str, str] = {
    "我": "'I, we', as in 我公司, 我方 (names the asker)",
    "我们": "'we'",
    "我司": "'our company'",
    "我公司": "'our company' (rjieba splits it into 我 + 公司)",
    "本公司": "'this company' (rjieba splits it into 本 + 公司)",
    "公司": "'company': names the asker; a holder's full name (华为公司) is one word, still searched",
    "一家": "'a (company)', as in 寻找一家…企业",
    "需要": "'need'",
    "需求": "'demand, requirement'",
    "寻求": "'seek', as in 寻求…相关技术",
    "寻找": "'look for'",
    "希望": "'hope to, would like'",
    "想": "'want to'",
    "想要": "'want'",
    "想找": "'want to find'",
    "找": "'find'",
    "引进": "'bring in (a technology)'",
    "求购": "'want to buy'",
    "合作": "'cooperation', as in 寻求合作",
    "相关": "'related', as in …相关技术",
    "有关": "'concerning'",
    "方面": "'aspect', as in 电池方面的技术",
    "技术": "'technology': every demand asks for one, the word does not say which",
    "we": "English 'we need …'",
    "our": "English 'our company'",
    "us": "English 'help us find …'",
    "company": "English 'our company'",
    "need": "English 'we need …'",
    "needs": "English 'our needs'",
    "seek": "English 'we seek …'",
    "seeking": "English 'seeking …'",
    "looking": "English 'looking for …'",
    "want": "English 'we want …'",
    "require": "English 'we require …'",
    "technology": "English: every demand asks for one",
    "technologies": "English: every demand asks for some",
}

DEMAND_CONVERSATION: Mapping[str, str] = {
    # who is asking
    "我厂": "'our factory'",
    "本厂": "'this factory'",
    "我方": "'our side'",
    "我单位": "'our organisation'",
    "企业": "'enterprise': names the asker (我们是一家…企业)",
    "厂": "'factory', as in 我们是…厂 (rjieba splits it off)",
    "厂家": "'manufacturer', as in 我们是…厂家",
    "工厂": "'factory'",
    "单位": "'organisation'",
    "主要": "'mainly', as in 主要生产… (what the asker makes, not what it needs)",
    "生产": "'produce', as in 我公司生产… (the asker's business)",
    "从事": "'be engaged in', as in 从事…行业",
    "做": "'do, make', as in 我们是做…的",
    "一直": "'all along'",
    "目前": "'at present', as in 目前…问题",
    "现在": "'now'",
    "现有": "'existing', as in 现有工艺…",
    # what they want
    "想": "'want to' (also in DEMAND_PHRASING)",
    "能": "'can, be able to', as in 找能…的技术",
    "能够": "'be able to'",
    "可以": "'can'",
    "提高": "'improve': every demand wants something better; the something is the term",
    "提升": "'raise, improve'",
    "改善": "'improve'",
    "改进": "'improve'",
    "解决": "'solve', as in 解决…问题",
    "问题": "'problem'",
    "实现": "'achieve'",
    "帮助": "'help'",
    "如何": "'how to'",
    "怎么": "'how'",
    "有没有": "'is there any'",
    "是否": "'whether'",
    "请问": "'may I ask'",
    "求": "'seek', as in 求…技术",
    "急": "'urgent', as in 急需",
    "急需": "'urgently need'",
    "更": "'more', as in 更好",
    "更好": "'better'",
    "一些": "'some'",
    "方案": "'solution', as in 技术方案: any solution",
    # how they want to buy it
    "采购": "'procure'",
    "购买": "'buy'",
    "转让": "'assignment': the kind of deal, not the technology (wanted_offer_types says it)",
    "许可": "'licence': the kind of deal, not the technology",
    "授权": "'authorise, licence'",
    "专利": "'patent': every match is one",
    "成果": "'(research) result', as in 科技成果",
    "高校": "'university': who they hope to buy from, not what",
    "院所": "'research institute'",
    "科研": "'research', as in 科研院所",
    "大学": "'university'",
    "欢迎": "'welcome', as in 欢迎联系",
    "联系": "'contact'",
    "洽谈": "'negotiate'",
    "对接": "'connect with (a holder)'",
    "落地": "'put into practice'",
    "产业化": "'industrialise'",
    "应用": "'apply', as in 应用到…: what for is the term",
    "help": "English 'help us …'",
    "improve": "English 'improve …'",
    "improving": "English 'improving …'",
    "solution": "English 'a solution for …'",
    "license": "English: the kind of deal",
    "licence": "English: the kind of deal",
    "patent": "English: every match is one",
    "patents": "English: every match is one",
    "factory": "English 'our factory'",
    "manufacturer": "English 'we are a manufacturer'",
}

# Endings that name the asker inside one rjieba word (电池厂, 化工厂, 灯具厂): where the
# ending is itself a stop word (matching: ``DEMAND_CONVERSATION``), the word counts as
# what comes before it (电池), so the rare, made-up 电池厂 and 池厂 are not terms no
# patent contains (``patents.search.text.meaningful_words``).
ASKER_SUFFIXES = ("厂家", "工厂", "厂", "企业")

# Characters that rarely begin or end a technical word: a character pair containing one
# (池的, 和锂) is not a term of its own (``text_terms``; words such as 可靠 or 中药 are).
PAIR_BREAKERS = frozenset("的和与及或为在是了等对由将其该")

INDEX_STOP_WORDS = frozenset(FUNCTION_WORDS) | frozenset(PATENT_BOILERPLATE)
QUERY_STOP_WORDS = INDEX_STOP_WORDS | frozenset(DEMAND_PHRASING)
MATCHING_STOP_WORDS = QUERY_STOP_WORDS | frozenset(DEMAND_CONVERSATION)
