// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One print path for text and JSON; the rendering rules are in output.h.
 * JSON is built with json-c and written once, by out_end().
 */
#include <assert.h>
#include <stdio.h>

#include <json.h>

#include "output.h"
#include "tools-common.h"

/* the column where text values start */
#define LABEL_WIDTH	21

static struct {
	FILE *stream;
	json_object *root;	/* NULL in text mode */
	json_object *list;	/* the JSON list being filled */
	json_object *item;	/* the JSON object item being filled */
	bool in_item;		/* between out_item_begin() and _end() */
	unsigned int list_len;	/* items printed in the text list */
	unsigned int item_len;	/* fields printed in the text item */
} out;

static json_object *checked(json_object *obj)
{
	if (!obj)
		die("out of memory");
	return obj;
}

/* val NULL is JSON null */
static void json_add(const char *key, json_object *val)
{
	json_object *obj = out.in_item ? out.item : out.root;

	if (json_object_object_add(obj, key, val))
		die("out of memory");
}

/*
 * Starts a text field: its label, or its key inside a list item. Returns
 * false when the field has no text rendering.
 */
static bool text_label(const char *key, const char *label)
{
	int len;

	if (out.in_item) {
		fprintf(out.stream, "%s%s=", out.item_len++ ? " " : "", key);
		return true;
	}
	if (!label)
		return false;
	len = fprintf(out.stream, "%s:", label);
	fprintf(out.stream, "%*s", len < LABEL_WIDTH ? LABEL_WIDTH - len : 1, "");
	return true;
}

/* Ends a text field: a line of its own, except inside a list item. */
static void text_end(void)
{
	if (!out.in_item)
		fputc('\n', out.stream);
}

void out_begin(bool json)
{
	out_begin_to(json, stdout);
}

void out_begin_to(bool json, FILE *stream)
{
	out.stream = stream;
	out.root = json ? checked(json_object_new_object()) : NULL;
}

void out_end(void)
{
	if (!out.root)
		return;

	fprintf(out.stream, "%s\n",
		json_object_to_json_string_ext(out.root, JSON_C_TO_STRING_PLAIN |
					       JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(out.root);
	out.root = NULL;
}

void out_bool(const char *key, const char *label, bool val)
{
	if (out.root) {
		json_add(key, checked(json_object_new_boolean(val)));
		return;
	}
	if (!text_label(key, label))
		return;
	fputs(val ? "yes" : "no", out.stream);
	text_end();
}

void out_int(const char *key, const char *label, long long val)
{
	if (out.root) {
		json_add(key, checked(json_object_new_int64(val)));
		return;
	}
	if (!text_label(key, label))
		return;
	fprintf(out.stream, "%lld", val);
	text_end();
}

void out_hex(const char *key, const char *label, unsigned long long val)
{
	if (out.root) {
		json_add(key, checked(json_object_new_uint64(val)));
		return;
	}
	if (!text_label(key, label))
		return;
	fprintf(out.stream, "0x%llx", val);
	text_end();
}

void out_str(const char *key, const char *label, const char *val)
{
	if (!val) {
		out_null(key, label);
		return;
	}
	if (out.root) {
		json_add(key, checked(json_object_new_string(val)));
		return;
	}
	if (!text_label(key, label))
		return;
	fputs(val, out.stream);
	text_end();
}

void out_null(const char *key, const char *label)
{
	if (out.root) {
		json_add(key, NULL);
		return;
	}
	if (!text_label(key, label))
		return;
	fputc('-', out.stream);
	text_end();
}

void out_value(const char *key, const char *val)
{
	assert(!out.in_item);

	if (out.root) {
		json_add(key, checked(json_object_new_string(val)));
		return;
	}
	fprintf(out.stream, "%s\n", val);
}

void out_list_begin(const char *key, const char *label)
{
	assert(!out.list && !out.list_len && !out.in_item);

	if (out.root) {
		out.list = checked(json_object_new_array());
		json_add(key, out.list);
		return;
	}
	text_label(key, label);
}

static void list_add(json_object *val)
{
	if (json_object_array_add(out.list, val))
		die("out of memory");
}

void out_list_str(const char *val)
{
	if (out.root) {
		list_add(checked(json_object_new_string(val)));
		return;
	}
	fprintf(out.stream, "%s%s", out.list_len ? " " : "", val);
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
