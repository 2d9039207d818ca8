"""A pg_dump plain script with what legitimately differs between Tessera's
and PostgreSQL's made alike (run.sh says why for each), its entries sorted."""
import re
import sys

lines = [line for line in open(sys.argv[1]).read().split("\n")
         if not line.startswith(("\\restrict ", "\\unrestrict ", "-- Dumped from database version"))]
text = "\n".join(lines)
text = re.sub(r"set_config\('search_path', '[^']*', false\)", "set_config('search_path', <path>, false)", text)
text = text.replace("public.", "")
text = re.sub(r"CHECK \(.*\)", "CHECK (<expr>)", text)
text = re.sub(r" DEFAULT .*?( NOT NULL,| NOT NULL$|,$|;$)", r" DEFAULT <expr>\1", text, flags=re.M)
print("\n-- Name: ".join(sorted(text.split("\n-- Name: "))))
