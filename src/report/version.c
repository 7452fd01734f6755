/*
 * version.c - the versions recorded in outputs and printed by --version.
 */
#include "carecast/report.h"

#include <cjson/cJSON.h>
#include <gsl/gsl_version.h>

#ifndef CARECAST_VERSION
#define CARECAST_VERSION "0.1.0"
#endif

const char *cc_version(void) { return CARECAST_VERSION; }
const char *cc_version_gsl(void) { return gsl_version; }
const char *cc_version_cjson(void) { return cJSON_Version(); }
