"""SOP 2's work records, each tied to a case of the engine."""
