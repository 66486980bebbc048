// A pg_dump-like SQL file of a given size (pg_dump --inserts: settings, tables, one INSERT per row,
// then keys, indexes and a function), written in chunks so that the test itself stays small in memory.
import fs from 'node:fs'

const HEADER = `--
-- PostgreSQL database dump
--

SET statement_timeout = 0;
SET lock_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;

CREATE FUNCTION public.touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;
`

function table(n: number): string {
  return `
--
-- Name: events_${n}; Type: TABLE; Schema: public; Owner: app
--

CREATE TABLE public.events_${n} (
    id bigint NOT NULL,
    user_id bigint,
    kind character varying(32) NOT NULL,
    payload jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE public.events_${n} OWNER TO app;
`
}

function row(n: number, id: number): string {
  return `INSERT INTO public.events_${n} VALUES (${id}, ${id % 977}, 'kind_${id % 7}', '{"k": "v${id}", "note": "semi;colon ünï"}', '2024-01-01 00:00:00+00');\n`
}

function footer(n: number): string {
  return `
ALTER TABLE ONLY public.events_${n}
    ADD CONSTRAINT events_${n}_pkey PRIMARY KEY (id);

CREATE INDEX events_${n}_user_id_idx ON public.events_${n} USING btree (user_id);
`
}

/** Writes about `bytes` bytes of dump to `file`; returns the exact size. */
export function writeDump(file: string, bytes: number, tables = 20): number {
  const fd = fs.openSync(file, 'w')
  let written = 0
  const write = (s: string) => {
    written += fs.writeSync(fd, s)
  }
  try {
    write(HEADER)
    const perTable = bytes / tables
    let id = 1
    for (let n = 1; n <= tables; n++) {
      write(table(n))
      const stop = Math.min(bytes, perTable * n)
      let chunk = ''
      while (written + chunk.length < stop) {
        chunk += row(n, id++)
        if (chunk.length > 1 << 20) {
          write(chunk)
          chunk = ''
        }
      }
      write(chunk)
      write(footer(n))
    }
  } finally {
    fs.closeSync(fd)
  }
  return written
}
