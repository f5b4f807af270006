// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One print path for text and JSON; the rendering rules are in output.h.
 * JSON is built with json-c and written once, by out_end().
 */
#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "output.h"
#include "tools-common.h"

/* the column where text values start */
#define LABEL_WIDTH	21
/* the most columns a table has */
#define TABLE_COLUMNS	16
/* room for the text of any number */
#define NUMBER_STRLEN	24

enum shape {
	SHAPE_FIELDS,		/* one field a line */
	SHAPE_LINE,		/* one record on one line */
	SHAPE_TABLE,		/* rows of fields */
};

static struct {
	FILE *stream;
	enum shape shape;
	json_object *root;	/* NULL in text mode; an array for a table */
	json_object *row;	/* the JSON row being filled */
	json_object *list;	/* the JSON list being filled */
	json_object *item;	/* the JSON object item being filled */
	bool in_item;		/* between out_item_begin() and _end() */
	unsigned int list_len;	/* items printed in the text list */
	unsigned int item_len;	/* fields printed in the text item */
	unsigned int line_len;	/* fields printed on the text line */
} out;

/* A text table, kept until its widths are known. */
static struct {
	const char *labels[TABLE_COLUMNS];
	unsigned int columns;	/* as many as the first row has */
	unsigned int column;	/* the next of the row being filled */
	char **cells;		/* TABLE_COLUMNS a row */
	size_t rows;		/* finished */
} table;

static json_object *checked(json_object *obj)
{
	if (!obj)
		die("out of memory");
	return obj;
}

/*
 * Strings reach the output from outside the tool: the name of a buffer
 * another domain chose, text of the module. In text, a string is printed
 * as printable ASCII alone: a backslash doubled, \n, \r and \t as such and
 * every other control character or byte above 0x7e as \xHH, so that no
 * escape sequence reaches the terminal and no new line forges a field.
 * Returns a string to free().
 */
static char *text_escape(const char *val)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p;
	char *text, *q;

	/* at most 4 bytes for each */
	text = malloc(strlen(val) * 4 + 1);
	if (!text)
		die("out of memory");
	for (p = (const unsigned char *)val, q = text; *p; p++) {
		if (*p >= 0x20 && *p <= 0x7e && *p != '\\') {
			*q++ = (char)*p;
			continue;
		}
		*q++ = '\\';
		switch (*p) {
		case '\\':
			*q++ = '\\';
			break;
		case '\n':
			*q++ = 'n';
			break;
		case '\r':
			*q++ = 'r';
			break;
		case '\t':
			*q++ = 't';
			break;
		default:
			*q++ = 'x';
			*q++ = hex[*p >> 4];
			*q++ = hex[*p & 0xf];
		}
	}
	*q = '\0';
	return text;
}

/* The length of the valid UTF-8 character at s, or 0. */
static size_t utf8_char_len(const unsigned char *s)
{
	uint32_t cp;
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	/* the terminating NUL ends a short sequence here too */
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* overlong, a surrogate, beyond Unicode */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/*
 * A string as JSON: json-c escapes control characters, but passes bytes on
 * as they are, and JSON is UTF-8: each byte that is not part of a valid
 * UTF-8 character becomes U+FFFD.
 */
static json_object *json_string(const char *val)
{
	static const char replacement[] = "\xef\xbf\xbd";
	const unsigned char *p = (const unsigned char *)val;
	json_object *obj;
	char *copy, *q;
	size_t n;

	while (*p && (n = utf8_char_len(p)))
		p += n;
	if (!*p)
		return checked(json_object_new_string(val));

	/* at most 3 bytes for each */
	copy = malloc(strlen(val) * 3 + 1);
	if (!copy)
		die("out of memory");
	for (p = (const unsigned char *)val, q = copy; *p;) {
		n = utf8_char_len(p);
		if (n) {
			memcpy(q, p, n);
			q += n;
			p += n;
		} else {
			memcpy(q, replacement, sizeof(replacement) - 1);
			q += sizeof(replacement) - 1;
			p++;
		}
	}
	*q = '\0';
	obj = checked(json_object_new_string(copy));
	free(copy);
	return obj;
}

/* val NULL is JSON null */
static void json_add(const char *key, json_object *val)
{
	json_object *obj = out.in_item ? out.item :
			   out.shape == SHAPE_TABLE ? out.row : out.root;

	if (json_object_object_add(obj, key, val))
		die("out of memory");
}

/* Starts a list's text field: its label, padded to the column. */
static void text_label(const char *label)
{
	int len = fprintf(out.stream, "%s:", label);

	fprintf(out.stream, "%*s", len < LABEL_WIDTH ? LABEL_WIDTH - len : 1, "");
}

static void table_cell(const char *label, const char *val)
{
	char *text = strdup(val);

	assert(table.column < TABLE_COLUMNS);
	/* the first row names the columns; the others fill the same ones */
	if (!table.rows)
		table.labels[table.column] = label;
	assert(strcmp(table.labels[table.column], label) == 0);

	if (!text)
		die("out of memory");
	table.cells[table.rows * TABLE_COLUMNS + table.column++] = text;
}

/*
 * A field's text, where the shape puts it: its label, or its key inside a
 * list item; fields without a label have no text.
 */
static void text_field(const char *key, const char *label, const char *val)
{
	if (out.in_item) {
		fprintf(out.stream, "%s%s=%s", out.item_len++ ? " " : "", key,
			val);
		return;
	}
	if (!label)
		return;
	switch (out.shape) {
	case SHAPE_FIELDS:
		text_label(label);
		fprintf(out.stream, "%s\n", val);
		break;
	case SHAPE_LINE:
		fprintf(out.stream, "%s%s=%s", out.line_len++ ? " " : "", label,
			val);
		break;
	case SHAPE_TABLE:
		table_cell(label, val);
		break;
	}
}

void out_begin(bool json)
{
	out_begin_to(json, stdout);
}

void out_begin_to(bool json, FILE *stream)
{
	out.stream = stream;
	out.shape = SHAPE_FIELDS;
	out.root = json ? checked(json_object_new_object()) : NULL;
}

void out_begin_line(bool json)
{
	out_begin(json);
	out.shape = SHAPE_LINE;
	out.line_len = 0;
}

static void print_json(void)
{
	fprintf(out.stream, "%s\n",
		json_object_to_json_string_ext(out.root, JSON_C_TO_STRING_PLAIN |
					       JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(out.root);
	out.root = NULL;
}

void out_end(void)
{
	assert(out.shape != SHAPE_TABLE);

	if (out.root)
		print_json();
	else if (out.shape == SHAPE_LINE)
		fputc('\n', out.stream);
	/* a stream's reader sees each record as it comes */
	if (out.shape == SHAPE_LINE)
		fflush(out.stream);
}

void out_bool(const char *key, const char *label, bool val)
{
	if (out.root)
		json_add(key, checked(json_object_new_boolean(val)));
	else
		text_field(key, label, val ? "yes" : "no");
}

void out_int(const char *key, const char *label, long long val)
{
	char text[NUMBER_STRLEN];

	if (out.root) {
		json_add(key, checked(json_object_new_int64(val)));
		return;
	}
	snprintf(text, sizeof(text), "%lld", val);
	text_field(key, label, text);
}

void out_uint(const char *key, const char *label, unsigned long long val)
{
	char text[NUMBER_STRLEN];

	if (out.root) {
		json_add(key, checked(json_object_new_uint64(val)));
		return;
	}
	snprintf(text, sizeof(text), "%llu", val);
	text_field(key, label, text);
}

void out_hex(const char *key, const char *label, unsigned long long val)
{
	char text[NUMBER_STRLEN];

	if (out.root) {
		json_add(key, checked(json_object_new_uint64(val)));
		return;
	}
	snprintf(text, sizeof(text), "0x%llx", val);
	text_field(key, label, text);
}

void out_domid(const char *key, const char *label, uint32_t domid)
{
	char text[DOMID_STRLEN];

	if (out.root)
		json_add(key, checked(json_object_new_int64(domid)));
	else
		text_field(key, label, format_domid(domid, text));
}

void out_str(const char *key, const char *label, const char *val)
{
	char *text;

	if (!val) {
		out_null(key, label);
	} else if (out.root) {
		json_add(key, json_string(val));
	} else {
		text = text_escape(val);
		text_field(key, label, text);
		free(text);
	}
}

void out_null(const char *key, const char *label)
{
	if (out.root)
		json_add(key, NULL);
	else
		text_field(key, label, "-");
}

void out_value(const char *key, const char *val)
{
	char *text;

	assert(!out.in_item && out.shape != SHAPE_TABLE);

	if (out.root) {
		json_add(key, json_string(val));
		return;
	}
	text = text_escape(val);
	if (out.shape == SHAPE_LINE)
		fprintf(out.stream, "%s%s", out.line_len++ ? " " : "", text);
	else
		fprintf(out.stream, "%s\n", text);
	free(text);
}

void out_value_uint(const char *key, unsigned long long val)
{
	char text[NUMBER_STRLEN];

	if (out.root) {
		out_uint(key, NULL, val);
		return;
	}
	snprintf(text, sizeof(text), "%llu", val);
	out_value(key, text);
}

void out_list_begin(const char *key, const char *label)
{
	assert(!out.list && !out.list_len && !out.in_item &&
	       out.shape == SHAPE_FIELDS);

	if (out.root) {
		out.list = checked(json_object_new_array());
		json_add(key, out.list);
		return;
	}
	text_label(label);
}

static void list_add(json_object *val)
{
	if (json_object_array_add(out.list, val))
		die("out of memory");
}

void out_list_str(const char *val)
{
	char *text;

	if (out.root) {
		list_add(json_string(val));
		return;
	}
	text = text_escape(val);
	fprintf(out.stream, "%s%s", out.list_len ? " " : "", text);
	free(text);
	out.list_len++;
}

void out_item_begin(void)
{
	assert(!out.in_item);

	out.in_item = true;
	out.item_len = 0;
	if (out.root) {
		out.item = checked(json_object_new_object());
		list_add(out.item);
		return;
	}
	fputs(out.list_len ? ", " : "", out.stream);
	out.list_len++;
}

void out_item_end(void)
{
	assert(out.in_item);

	out.in_item = false;
	out.item = NULL;
}

void out_list_end(void)
{
	if (!out.root)
		fputs(out.list_len ? "\n" : "-\n", out.stream);
	out.list = NULL;
	out.list_len = 0;
}

void out_table_begin(bool json)
{
	out.stream = stdout;
	out.shape = SHAPE_TABLE;
	out.root = json ? checked(json_object_new_array()) : NULL;
}

void out_row_begin(void)
{
	char **more;

	assert(out.shape == SHAPE_TABLE && !out.row && !table.column);

	if (out.root) {
		out.row = checked(json_object_new_object());
		if (json_object_array_add(out.root, out.row))
			die("out of memory");
		return;
	}
	more = realloc(table.cells, (table.rows + 1) * TABLE_COLUMNS *
		       sizeof(*table.cells));
	if (!more)
		die("out of memory");
	table.cells = more;
}

void out_row_end(void)
{
	assert(out.shape == SHAPE_TABLE);

	if (out.root) {
		assert(out.row);
		out.row = NULL;
		return;
	}
	if (!table.rows)
		table.columns = table.column;
	assert(table.column == table.columns);
	table.rows++;
	table.column = 0;
}

/* One line of the table: the header for cells NULL. */
static void print_table_line(char **cells, const size_t *widths)
{
	unsigned int c;
	const char *p;
	size_t len;

	for (c = 0; c < table.columns; c++) {
		if (c)
			fputs("  ", out.stream);
		if (cells) {
			fputs(cells[c], out.stream);
			len = strlen(cells[c]);
		} else {
			for (p = table.labels[c]; *p; p++)
				fputc(toupper((unsigned char)*p), out.stream);
			len = strlen(table.labels[c]);
		}
		/* no spaces at the end of a line */
		if (c + 1 < table.columns)
			fprintf(out.stream, "%*s", (int)(widths[c] - len), "");
	}
	fputc('\n', out.stream);
}

void out_table_end(void)
{
	size_t widths[TABLE_COLUMNS], r, len;
	unsigned int c;

	assert(out.shape == SHAPE_TABLE && !out.row && !table.column);

	out.shape = SHAPE_FIELDS;
	if (out.root) {
		print_json();
		return;
	}
	for (c = 0; c < table.columns; c++) {
		widths[c] = strlen(table.labels[c]);
		for (r = 0; r < table.rows; r++) {
			len = strlen(table.cells[r * TABLE_COLUMNS + c]);
			if (len > widths[c])
				widths[c] = len;
		}
	}
	if (table.rows)
		print_table_line(NULL, widths);
	for (r = 0; r < table.rows; r++) {
		print_table_line(&table.cells[r * TABLE_COLUMNS], widths);
		for (c = 0; c < table.columns; c++)
			free(table.cells[r * TABLE_COLUMNS + c]);
	}
	free(table.cells);
	memset(&table, 0, sizeof(table));
}
