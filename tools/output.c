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
	json_object *root;	/* NULL in text mode */
	json_object *list;	/* the JSON list being filled */
	unsigned int list_len;	/* items printed in the text list */
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
	if (json_object_object_add(out.root, key, val))
		die("out of memory");
}

static void text_label(const char *label)
{
	int len = printf("%s:", label);

	printf("%*s", len < LABEL_WIDTH ? LABEL_WIDTH - len : 1, "");
}

void out_begin(bool json)
{
	out.root = json ? checked(json_object_new_object()) : NULL;
}

void out_end(void)
{
	if (!out.root)
		return;

	puts(json_object_to_json_string_ext(out.root, JSON_C_TO_STRING_PLAIN |
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
	text_label(label);
	puts(val ? "yes" : "no");
}

void out_int(const char *key, const char *label, long long val)
{
	if (out.root) {
		json_add(key, checked(json_object_new_int64(val)));
		return;
	}
	text_label(label);
	printf("%lld\n", val);
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
	text_label(label);
	puts(val);
}

void out_null(const char *key, const char *label)
{
	if (out.root) {
		json_add(key, NULL);
		return;
	}
	text_label(label);
	puts("-");
}

void out_list_begin(const char *key, const char *label)
{
	assert(!out.list && !out.list_len);

	if (out.root) {
		out.list = checked(json_object_new_array());
		json_add(key, out.list);
		return;
	}
	text_label(label);
}

void out_list_str(const char *val)
{
	if (out.root) {
		if (json_object_array_add(out.list,
					  checked(json_object_new_string(val))))
			die("out of memory");
		return;
	}
	printf("%s%s", out.list_len ? " " : "", val);
	out.list_len++;
}

void out_list_end(void)
{
	if (!out.root)
		puts(out.list_len ? "" : "-");
	out.list = NULL;
	out.list_len = 0;
}
