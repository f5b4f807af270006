// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * json-get [KEY]: read one JSON object from stdin, strictly (one object,
 * nothing after it but white space); print the value of KEY as compact
 * JSON, or nothing without KEY. Lets the shell tests check the CLI's JSON
 * with the same parser its users' programs would use.
 *
 * Exit status: 0 done, 1 the input is not one JSON object, 2 no KEY in it.
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

static json_object *parse_object(const char *buf, size_t len)
{
	json_tokener *tok = json_tokener_new();
	json_object *obj;

	if (!tok)
		return NULL;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	obj = json_tokener_parse_ex(tok, buf, (int)len);
	if (json_tokener_get_error(tok) != json_tokener_success ||
	    !only_space(buf + json_tokener_get_parse_end(tok)) ||
	    !json_object_is_type(obj, json_type_object)) {
		json_object_put(obj);
		obj = NULL;
	}
	json_tokener_free(tok);
	return obj;
}

int main(int argc, char **argv)
{
	json_object *obj, *val;
	int ret = 0;
	size_t len;
	char *buf;

	buf = read_stdin(&len);
	obj = buf ? parse_object(buf, len) : NULL;
	free(buf);
	if (!obj) {
		fprintf(stderr, "json-get: the input is not one JSON object\n");
		return 1;
	}

	if (argc > 1) {
		if (json_object_object_get_ex(obj, argv[1], &val))
			puts(json_object_to_json_string_ext(val,
				JSON_C_TO_STRING_PLAIN |
				JSON_C_TO_STRING_NOSLASHESCAPE));
		else
			ret = 2;
	}
	json_object_put(obj);
	return ret;
}
