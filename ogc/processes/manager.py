"""The process manager: synchronous execution, input errors as 400, server faults as 500.

pygeoapi's ``DummyManager`` turns every exception into a 400 "Error executing
process", a database outage included. This one answers only
``ProcessInputError`` (a client mistake) with a 400 whose body is the OGC
exception shape, and lets anything else surface as a server error. Outputs
are returned as the process made them, for ``response=raw`` and ``document``
alike: for JSON outputs, the document form of OGC API - Processes 1.0
(``results``, one member per output id) is that same object.
"""

from __future__ import annotations

import uuid
from typing import Any

from pygeoapi.process.manager.dummy import DummyManager
from pygeoapi.util import JobStatus

from ogc.processes.base import ProcessInputError


class TaksiManager(DummyManager):
    def execute_process(self, process_id: str, data_dict: dict[str, Any],
                        execution_mode: Any = None, requested_outputs: dict | None = None,
                        subscriber: Any = None, requested_response: Any = None,
                        ) -> tuple[str, str, Any, JobStatus, dict[str, str] | None]:
        processor = self.get_processor(process_id)
        job_id = str(uuid.uuid4())
        try:
            mimetype, outputs = processor.execute(data_dict, outputs=requested_outputs)
        except ProcessInputError as error:
            body = {"code": error.ogc_exception_code, "type": error.ogc_exception_code,
                    "description": error.message}
            return job_id, "application/json", body, JobStatus.failed, None
        return job_id, mimetype, outputs, JobStatus.successful, None
