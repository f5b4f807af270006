/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One print path for text and JSON. A command prints each field once, with
 * its JSON key and its text label; out_begin() chose the rendering:
 *
 *   text:  "label:" padded to a column, then the value, one field a line;
 *          yes/no for booleans, "-" for a missing value or an empty list;
 *          a field whose label is NULL is left out of the text
 *   JSON:  one object on one line, keys in the order printed; null for a
 *          missing value
 *
 * Two other shapes use the same field calls:
 *
 *   out_begin_line(): one record of a stream, on one line, written and
 *          flushed by out_end(): in text out_value() bare, then each
 *          labelled field as label=value, separated by spaces; in JSON one
 *          object, as above
 *   out_table_begin(): rows of the same fields: in text a header of the
 *          labels in capitals, then one line per row, columns aligned
 *          (nothing at all without rows); in JSON one array of objects
 *
 * JSON keys are part of the tool's interface: add new ones, never rename.
 */
#ifndef HDMABUF_OUTPUT_H
#define HDMABUF_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Output to stdout; out_begin_to() picks another stream, e.g. stderr. */
void out_begin(bool json);
void out_begin_to(bool json, FILE *stream);
void out_begin_line(bool json);
void out_end(void);

void out_bool(const char *key, const char *label, bool val);
void out_int(const char *key, const char *label, long long val);
void out_uint(const char *key, const char *label, unsigned long long val);
/* a number in JSON, 0x-prefixed hex in text */
void out_hex(const char *key, const char *label, unsigned long long val);
/* a number in JSON, as format_domid() writes it in text ("self") */
void out_domid(const char *key, const char *label, uint32_t domid);
/* val NULL: the value is missing */
void out_str(const char *key, const char *label, const char *val);
void out_null(const char *key, const char *label);
/* The command's one result: in text the value alone on its line. */
void out_value(const char *key, const char *val);
void out_value_uint(const char *key, unsigned long long val);

/*
 * A list: out_list_begin(), then out_list_str() per string item, or
 * out_item_begin(), fields, out_item_end() per object item; out_list_end().
 * In text the items share the line, and an object item prints its fields
 * as key=value.
 */
void out_list_begin(const char *key, const char *label);
void out_list_str(const char *val);
void out_item_begin(void);
void out_item_end(void);
void out_list_end(void);

/*
 * A table, to stdout: out_table_begin(), then out_row_begin(), fields,
 * out_row_end() per row; out_table_end() writes it.
 */
void out_table_begin(bool json);
void out_row_begin(void);
void out_row_end(void);
void out_table_end(void);

#endif /* HDMABUF_OUTPUT_H */
