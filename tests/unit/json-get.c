// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * json-get [PATH]: read one JSON object or array from stdin, strictly (one
 * value, nothing after it but white space); print the value at PATH as
 * compact JSON, or nothing without PATH. PATH is a key, or keys and array
 * indexes joined by dots ("0.id", "planes.1.stride"); "#" as the last part
 * gives the length of an array. Lets the shell tests check the CLI's JSON
 * with the same parser its users' programs would use.
 *
 * Exit status: 0 done, 1 the input is not one JSON object or array, 2
 * nothing at PATH.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#define MAX_INPUT	(64 * 1024)

static char *read_stdin(size_t *len)
{
	char *buf = malloc(MAX_INPUT + 1);

	if (!buf)
		return NULL;
	*len = fread(buf, 1, MAX_INPUT, stdin);
	if (ferror(stdin) || !feof(stdin)) {
		free(buf);
		return NULL;
	}
	buf[*len] = '\0';
	return buf;
}

static bool only_space(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return *s == '\0';
}

static json_object *parse_value(const char *buf, size_t len)
{
	json_tokener *tok = json_tokener_new();
	json_object *obj;

	if (!tok)
		return NULL;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	obj = json_tokener_parse_ex(tok, buf, (int)len);
	if (json_tokener_get_error(tok) != json_tokener_success ||
	    !only_space(buf + json_tokener_get_parse_end(tok)) ||
	    (!json_object_is_type(obj, json_type_object) &&
	     !json_object_is_type(obj, json_type_array))) {
		json_object_put(obj);
		obj = NULL;
	}
	json_tokener_free(tok);
	return obj;
}

/* A decimal index without sign or leading zero, or -1. */
static long parse_index(const char *s)
{
	long v = 0;

	if (!*s || (s[0] == '0' && s[1]))
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 100000000)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

/*
 * Prints the value at path (modified in place); false when there is none.
 * A JSON null is a value: it prints as null.
 */
static bool print_path(json_object *obj, char *path)
{
	char *part, *rest = path;
	long i;

	while ((part = strsep(&rest, "."))) {
		if (json_object_is_type(obj, json_type_array)) {
			if (strcmp(part, "#") == 0 && !rest) {
				printf("%zu\n", json_object_array_length(obj));
				return true;
			}
			i = parse_index(part);
			if (i < 0 || (size_t)i >= json_object_array_length(obj))
				return false;
			obj = json_object_array_get_idx(obj, (size_t)i);
		} else if (!json_object_is_type(obj, json_type_object) ||
			   !json_object_object_get_ex(obj, part, &obj)) {
			return false;
		}
	}
	puts(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
	return true;
}

int main(int argc, char **argv)
{
	json_object *obj;
	int ret = 0;
	size_t len;
	char *buf;

	buf = read_stdin(&len);
	obj = buf ? parse_value(buf, len) : NULL;
	free(buf);
	if (!obj) {
		fprintf(stderr, "json-get: the input is not one JSON object or array\n");
		return 1;
	}

	if (argc > 1 && !print_path(obj, argv[1]))
		ret = 2;
	json_object_put(obj);
	return ret;
}
