/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One print path for text and JSON. A command prints each field once, with
 * its JSON key and its text label; out_begin() chose the rendering:
 *
 *   text:  "label:" padded to a column, then the value, one field a line;
 *          yes/no for booleans, "-" for a missing value or an empty list
 *   JSON:  one object on one line, keys in the order printed; null for a
 *          missing value
 *
 * JSON keys are part of the tool's interface: add new ones, never rename.
 */
#ifndef HDMABUF_OUTPUT_H
#define HDMABUF_OUTPUT_H

#include <stdbool.h>

void out_begin(bool json);
void out_end(void);

void out_bool(const char *key, const char *label, bool val);
void out_int(const char *key, const char *label, long long val);
/* val NULL: the value is missing */
void out_str(const char *key, const char *label, const char *val);
void out_null(const char *key, const char *label);

/* A list of strings: out_list_begin(), out_list_str() per item, out_list_end(). */
void out_list_begin(const char *key, const char *label);
void out_list_str(const char *val);
void out_list_end(void);

#endif /* HDMABUF_OUTPUT_H */
