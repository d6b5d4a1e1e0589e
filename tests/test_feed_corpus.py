"""Our parse path over every feed file of ../shared/corpus, against feedparser's reading.

The files are feedparser's own test suite and newsboat's test feeds (2,100+; third-party, read
from ../shared, see shared_data.py). For each one the product's `parse_feed` (with the HTTP
Content-Type the file names, as a refresh passes it) and feedparser's reading turned into plain
text (feed_corpus.py) are compared: the feed's title, the entry count, and each entry's title,
link, date, lead and author. Every difference left is listed below under the reason ours is
right; a new one fails, and so does a listed one that is gone (the list says what the product
does, never more).

The plain RSS 2.0 fast path is also checked against feedparser's path on every file it takes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from feed_corpus import differences, fast_path_differs, feed_files
from shared_data import shared_path

SHARDS = 6  # the files are split so that pytest -n spreads them over the cores

EMPTY = (
    "an entry with no id, title, link, lead, date or enclosure has nothing to show and nothing "
    "to find it again by on the next refresh; feedparser's tests of one element (author, "
    "contributor, category, rights, source, comments, geo, iTunes and Media RSS tags, links that "
    "are not the entry's own, out-of-line content) hold entries carrying only that element"
)
DUPLICATE = (
    "an id seen earlier in the same feed (else the link, else everything the entry carries) is "
    "the same article: the first is kept (RFC 4287 4.2.6; a refresh keys on it)"
)
GUESSED = (
    "no header or declaration names the charset and the bytes are not UTF-8: ours guesses it "
    "(charset_normalizer) and reads the text; feedparser without chardet falls back to "
    "windows-1252 or ISO-8859-2 and gives mojibake"
)
BROKEN_UTF8 = (
    "UTF-8 with one broken byte stays UTF-8 (the byte a U+FFFD), as a browser reads it; "
    "feedparser reads the whole body as ISO-8859-2; and `<>` is text, not a tag"
)
HOST_CASE = "scheme and host are lowercased: the same address (RFC 3986 6.2.2.1)"
NOT_A_WEB_LINK = "a tag: URI is no web link: refused (feedparser makes the id the link)"
SVG = (
    "an SVG picture's title, description and metadata are the picture's, as an <img>'s alt is; "
    "a lead shows neither"
)
BOGUS_COMMENT = (
    "`<!'` and `<![CDATA[` open a bogus comment in HTML that runs to the first `>`: a browser "
    "shows none of it (feedparser's sanitizer keeps it as text)"
)
PAGE_IN_A_LEAD = (
    "a whole HTML page as the lead: the <title> in its <head> and its script are no text a "
    "browser shows; the body's text is kept"
)
IFRAME = "an iframe's content is never shown (a browser shows the framed page instead)"
OPEN_COMMENT = (
    "`<!-- -- x >` does not close the comment it opens (HTML5 parsing): a browser shows only "
    "what comes before it (feedparser reads SGML comments)"
)
UNFINISHED_TAG = "a tag left unfinished at the end (`<a href=`) is no text: a browser drops it"

# reason → {folder: "file names without .xml"} for each tag of a difference
_EMPTY_FILES: dict[str, str] = {
    "feedparser/tests/illformed/geo": (
        "georss_point_no_coords georss_polygon_insufficient_coords gml_point "
    ),
    "feedparser/tests/illformed": (
        "rss_incomplete_cdata "
    ),
    "feedparser/tests/wellformed/atom": (
        "entry_author_email entry_author_homepage entry_author_map_author "
        "entry_author_map_author_2 entry_author_name entry_author_uri entry_author_url "
        "entry_contributor_email entry_contributor_homepage entry_contributor_multiple "
        "entry_contributor_name entry_contributor_uri entry_contributor_url "
        "entry_source_updated_parsed "
    ),
    "feedparser/tests/wellformed/atom10": (
        "entry_author_email entry_author_map_author entry_author_map_author_2 "
        "entry_author_name entry_author_uri entry_author_url entry_authors_email "
        "entry_authors_name entry_authors_uri entry_authors_url entry_category_label "
        "entry_category_scheme entry_category_term entry_category_term_non_ascii "
        "entry_content_src entry_contributor_email entry_contributor_multiple "
        "entry_contributor_name entry_contributor_uri entry_contributor_url "
        "entry_link_rel_license entry_link_rel_other entry_link_rel_related "
        "entry_link_rel_self entry_link_rel_via entry_rights entry_rights_content_value "
        "entry_rights_escaped_markup entry_rights_inline_markup entry_rights_inline_markup_2 "
        "entry_rights_text_plain entry_rights_text_plain_brackets entry_rights_type_default "
        "entry_rights_type_text entry_source_author_email entry_source_author_map_author "
        "entry_source_author_map_author_2 entry_source_author_name entry_source_author_uri "
        "entry_source_authors_email entry_source_authors_name entry_source_authors_uri "
        "entry_source_authors_url entry_source_category_label entry_source_category_scheme "
        "entry_source_category_term entry_source_category_term_non_ascii "
        "entry_source_contributor_email entry_source_contributor_multiple "
        "entry_source_contributor_name entry_source_contributor_uri entry_source_generator "
        "entry_source_generator_name entry_source_generator_uri "
        "entry_source_generator_version entry_source_icon entry_source_id "
        "entry_source_link_alternate_map_link entry_source_link_alternate_map_link_2 "
        "entry_source_link_href entry_source_link_hreflang entry_source_link_length "
        "entry_source_link_multiple entry_source_link_no_rel entry_source_link_rel "
        "entry_source_link_rel_other entry_source_link_rel_related entry_source_link_rel_self "
        "entry_source_link_rel_via entry_source_link_title entry_source_link_type "
        "entry_source_logo entry_source_rights entry_source_rights_base64 "
        "entry_source_rights_base64_2 entry_source_rights_content_type "
        "entry_source_rights_content_type_text entry_source_rights_content_value "
        "entry_source_rights_escaped_markup entry_source_rights_inline_markup "
        "entry_source_rights_inline_markup_2 entry_source_rights_text_plain "
        "entry_source_subittle_content_type_text entry_source_subtitle "
        "entry_source_subtitle_base64 entry_source_subtitle_base64_2 "
        "entry_source_subtitle_content_type entry_source_subtitle_content_value "
        "entry_source_subtitle_escaped_markup entry_source_subtitle_inline_markup "
        "entry_source_subtitle_inline_markup_2 entry_source_subtitle_text_plain "
        "entry_source_title entry_source_title_base64 entry_source_title_base64_2 "
        "entry_source_title_content_type entry_source_title_content_type_text "
        "entry_source_title_content_value entry_source_title_escaped_markup "
        "entry_source_title_inline_markup entry_source_title_inline_markup_2 "
        "entry_source_title_text_plain "
    ),
    "feedparser/tests/wellformed/base": (
        "http_entry_author_url_base_content_location http_entry_author_url_base_docuri "
        "http_entry_contributor_url_base_content_location "
        "http_entry_contributor_url_base_docuri http_item_comments_base_content_location "
        "http_item_comments_base_docuri http_item_wfw_commentRSS_base_content_location "
        "http_item_wfw_commentRSS_base_docuri http_item_wfw_comment_base_content_location "
        "http_item_wfw_comment_base_docuri "
    ),
    "feedparser/tests/wellformed/geo": (
        "georss_box georss_line georss_point georss_polygon gml_linestring gml_linestring_utm "
        "gml_point gml_point_3d gml_point_utm gml_polygon "
    ),
    "feedparser/tests/wellformed/itunes": (
        "itunes_item_author_map_author itunes_item_block itunes_item_block_false "
        "itunes_item_block_no itunes_item_block_true itunes_item_block_uppercase "
        "itunes_item_block_whitespace itunes_item_category itunes_item_category_nested "
        "itunes_item_category_scheme itunes_item_duration itunes_item_explicit "
        "itunes_item_explicit_clean itunes_item_explicit_false itunes_item_explicit_no "
        "itunes_item_explicit_true itunes_item_explicit_uppercase "
        "itunes_item_explicit_whitespace itunes_item_image itunes_item_image_url "
        "itunes_item_link_image itunes_item_subtitle "
    ),
    "feedparser/tests/wellformed/lang": (
        "item_dc_language "
    ),
    "feedparser/tests/wellformed/media-rss": (
        "item_media_category_label item_media_category_multiple item_media_category_scheme1 "
        "item_media_category_scheme2 item_media_category_term "
    ),
    "feedparser/tests/wellformed/namespace": (
        "unknown-namespace "
    ),
    "feedparser/tests/wellformed/node_precedence": (
        "atom10_arbitrary_element "
    ),
    "feedparser/tests/wellformed/psc": (
        "version_1.0_keyerror "
    ),
    "feedparser/tests/wellformed/rss": (
        "item_author item_author_map_author_detail_email item_author_map_author_detail_email2 "
        "item_author_map_author_detail_email3 item_author_map_author_detail_name "
        "item_author_map_author_detail_name2 item_author_map_author_detail_name3 "
        "item_category item_category_domain item_category_multiple item_category_multiple_2 "
        "item_comments item_dc_author item_dc_author_map_author_detail_email "
        "item_dc_author_map_author_detail_name item_dc_contributor item_dc_creator "
        "item_dc_creator_map_author_detail_email item_dc_creator_map_author_detail_name "
        "item_dc_publisher item_dc_publisher_email item_dc_publisher_name item_dc_rights "
        "item_dc_subject item_dc_subject_2 item_dc_subject_multiple item_expirationDate "
        "item_expirationDate_multiple_values item_expirationDate_parsed "
        "item_guid_isPermaLink_ValueError item_madeup_tags_element item_multiple_dc_creator "
        "item_source item_source_url "
    ),
}

_SAME_KEY_FILES = {
    "feedparser/tests/wellformed/lang": "entry_content_xml_lang_blank_3",
    "feedparser/tests/wellformed/node_precedence": "atom10_id atom10_title",
    "newsboat/test/data": "atom10_2 atom10_feed_authors items_without_titles rss20_2",
}
SANITIZE = "feedparser/tests/wellformed/sanitize"
CHARDET = "feedparser/tests/illformed/chardet"
NAMESPACE = "feedparser/tests/wellformed/namespace"

EXPECTED: dict[str, str] = {}  # "file:tag" → reason


def _expect(reason: str, tags: str, folder: str, names: str) -> None:
    for name in names.split():
        for tag in tags.split():
            EXPECTED[f"{folder}/{name}.xml:{tag}"] = reason


for _folder, _names in _EMPTY_FILES.items():
    _expect(EMPTY, "dropped-empty", _folder, _names)
for _folder, _names in _SAME_KEY_FILES.items():
    _expect(DUPLICATE, "dropped-duplicate", _folder, _names)
_expect(GUESSED, "title summary", CHARDET, "eucjp euckr koi8r shiftjis")
_expect(GUESSED, "title", CHARDET, "gb2312")
_expect(GUESSED, "summary", CHARDET, "tis620 windows1255")
_expect(GUESSED, "feed-title", CHARDET, "big5")
_expect(BROKEN_UTF8, "summary", "feedparser/tests/encoding", "bozo_linenoise")
_expect(HOST_CASE, "link", "feedparser/tests/wellformed/atom10", "entry_id_no_normalization_3")
_expect(HOST_CASE, "link", "feedparser/tests/wellformed/rss",
        "item_image_link_bleed item_image_link_conflict")
_expect(NOT_A_WEB_LINK, "link", "newsboat/test/data", "atom10_2")
_expect(SVG, "summary", NAMESPACE, "atomsvgdctitle atomsvgdesc atomsvgtitle rss2.0svgtitle")
_expect(BOGUS_COMMENT, "summary", "feedparser/tests/wellformed/rss",
        "item_description_not_a_doctype")
_expect(BOGUS_COMMENT, "summary", SANITIZE, "item_content_encoded_script_nested_cdata")
_expect(PAGE_IN_A_LEAD, "summary", SANITIZE,
        "entry_content_crazy entry_summary_crazy item_content_encoded_crazy "
        "item_description_crazy item_fullitem_crazy")
_expect(PAGE_IN_A_LEAD, "title", SANITIZE, "entry_title_crazy")
_expect(PAGE_IN_A_LEAD, "feed-title", SANITIZE, "feed_title_crazy")
_expect(OPEN_COMMENT, "feed-title", SANITIZE, "xml_malicious_comment")
_expect(IFRAME, "summary", SANITIZE, "entry_content_iframe entry_summary_iframe")
_expect(UNFINISHED_TAG, "summary", "newsboat/test/data", "rss091_1 rss092_1")


def _shard(index: int) -> tuple[Path, list[Path]]:
    root = shared_path("corpus")
    return root, feed_files(root)[index::SHARDS]


def test_the_corpus_is_all_there() -> None:
    root = shared_path("corpus")
    files = {p.relative_to(root).as_posix() for p in feed_files(root)}
    assert len(files) >= 2100
    listed = {key.rsplit(":", 1)[0] for key in EXPECTED}
    assert listed <= files, sorted(listed - files)[:5]


@pytest.mark.parametrize("index", range(SHARDS))
def test_our_reading_against_feedparsers(index: int) -> None:
    root, paths = _shard(index)
    found: dict[str, tuple[object, object]] = {}
    names = set()
    for path in paths:
        name = path.relative_to(root).as_posix()
        names.add(name)
        for tag, values in differences(path).items():
            found[f"{name}:{tag}"] = values
    expected = {key for key in EXPECTED if key.rsplit(":", 1)[0] in names}
    new = {key: found[key] for key in sorted(set(found) - expected)}
    gone = sorted(expected - set(found))
    assert not new, f"differences with no reason listed (ours, feedparser's): {new}"
    assert not gone, f"listed differences that are gone: {gone}"


@pytest.mark.parametrize("index", range(SHARDS))
def test_the_fast_path_reads_as_feedparser(index: int) -> None:
    root, paths = _shard(index)
    taken = [p for p in paths if fast_path_differs(p) is not None]
    assert not [p.relative_to(root).as_posix() for p in taken if fast_path_differs(p)]
