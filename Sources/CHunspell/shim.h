// The Hunspell C API (Debian: libhunspell-dev), used by NewsCore's HunspellLemmatizer.
#include <hunspell/hunspell.h>
