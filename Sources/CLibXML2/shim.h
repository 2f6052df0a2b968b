// libxml2 (Debian: libxml2-dev): its HTML parser for article bodies and imports.
//
// Debian builds libxml2 with ICU, and its encoding header then includes ICU's, which clash with the copy of ICU
// inside Swift's Foundation in any file that imports both. Only the private converter fields of
// xmlCharEncodingHandler depend on it, which Shpalta never touches, so the ICU part is left out here.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
