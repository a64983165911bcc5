"""Every word of the inbox's pages as (Spanish, English); notices after a staff action and their kind."""

from __future__ import annotations

from inbox.auth import MIN_PASSWORD

WORDS: dict[str, tuple[str, str]] = {
    # Navigation and account.
    "nav_queue": ("Fila", "Queue"),
    "nav_cases": ("Casos", "Cases"),
    "nav_dashboard": ("Panel", "Dashboard"),
    "nav_audit": ("Auditoría", "Audit trail"),
    "nav_accounts": ("Cuentas", "Accounts"),
    "role_agent": ("agente", "agent"),
    "role_supervisor": ("supervisor/a", "supervisor"),
    "role_admin": ("administrador/a", "admin"),
    "switch_language": ("Cambiar el idioma de la bandeja", "Switch the inbox's language"),
    "logout": ("Salir", "Log out"),
    "login_title": ("Entrar", "Log in"),
    "login_intro": ("Bandeja de atención al ciudadano.", "Citizen service inbox."),
    "login_failed": (
        "No fue posible entrar. Revisa usuario y contraseña; tras 5 intentos fallidos la cuenta se "
        "bloquea 15 minutos.",
        "Could not log in. Check the username and password; after 5 failed attempts the account is "
        "locked for 15 minutes.",
    ),
    "username": ("Usuario", "Username"),
    "password": ("Contraseña", "Password"),
    "login": ("Entrar", "Log in"),
    "error_400": ("La solicitud no es válida.", "The request is not valid."),
    "error_403": ("No tienes permiso para esto.", "You are not allowed to do this."),
    "error_404": ("No existe.", "Not found."),
    "error_405": ("Método no permitido.", "Method not allowed."),
    "error_409": ("Eso ya cambió; recarga la página.", "That changed meanwhile; reload the page."),
    "back_to_queue": ("Volver a la fila", "Back to the queue"),
    # Queue.
    "queue_title": ("Conversaciones que esperan a una persona", "Conversations waiting for a person"),
    "tab_all": ("Todas", "All"),
    "tab_waiting": ("En espera", "Waiting"),
    "tab_mine": ("Mías", "Mine"),
    "tab_assigned": ("Asignadas", "Assigned"),
    "department": ("Área", "Department"),
    "channel": ("Canal", "Channel"),
    "all": ("Todas", "All"),
    "general": ("General (sin caso abierto)", "General (no open case)"),
    "filter": ("Filtrar", "Filter"),
    "citizen": ("Ciudadano/a", "Citizen"),
    "citizen_n": ("Ciudadano/a #{n}", "Citizen #{n}"),
    "waiting": ("Espera", "Waiting"),
    "holder": ("Atiende", "Handled by"),
    "last_message": ("Último mensaje", "Last message"),
    "claim": ("Tomar", "Claim"),
    "open": ("Abrir", "Open"),
    "queue_empty": ("Nadie espera. 🎉", "Nobody is waiting. 🎉"),
    "preferential": ("Preferencial", "Preferential"),
    "sla_target": ("Meta de primera respuesta", "First-response target"),
    "breached": ("Vencido", "Breached"),
    "reason_requested": ("Pidió una persona", "Asked for a person"),
    "reason_misunderstood": ("El asistente no entendió", "The assistant did not understand"),
    "reason_error": ("El asistente falló con este mensaje", "The assistant failed on this message"),
    "reason_emergency": (
        "Escribió una emergencia; se le dio el número de emergencias",
        "Wrote about an emergency; was given the emergency number",
    ),
    "reason_reopened_again": (
        "Dice que su caso sigue sin arreglarse tras varias reaperturas: que decida un supervisor",
        "Says the case is still not fixed after several reopenings: for a supervisor to decide",
    ),
    "emergency": ("Emergencia", "Emergency"),
    "unfinished_report": ("Reporte sin terminar", "Unfinished report"),
    "unfinished_help": (
        "Lo que el ciudadano llevaba del reporte cuando pidió una persona. No está registrado.",
        "What the citizen had told the assistant when they asked for a person. It is not filed.",
    ),
    "unfinished_service": ("Categoría", "Category"),
    "unfinished_description": ("Descripción", "Description"),
    "unfinished_place": ("Lugar", "Place"),
    "unfinished_photos": ("Fotos", "Photos"),
    "author_citizen": ("Ciudadano/a", "Citizen"),
    "author_bot": ("Asistente", "Assistant"),
    "author_staff": ("Equipo", "Staff"),
    "author_system": ("Aviso automático", "Automatic notice"),
    # Conversation.
    "last_channel": ("Último canal", "Last channel"),
    "release": ("Devolver a la fila", "Release to the queue"),
    "hand_back": ("Devolver al asistente", "Hand back to the bot"),
    "assign_to": ("Asignar a", "Assign to"),
    "assign": ("Asignar", "Assign"),
    "held_by": ("La atiende {name}.", "{name} is handling it."),
    "profile": ("Perfil del ciudadano", "Citizen profile"),
    "whatsapp_window_closed": (
        "⚠ Pasaron más de 24 horas desde el último mensaje por WhatsApp: WhatsApp no admite texto libre. "
        "La respuesta saldrá como plantilla o por SMS, si están configurados.",
        "⚠ More than 24 hours since the citizen's last WhatsApp message: WhatsApp refuses free text. The "
        "reply goes out as a template or by SMS, if configured.",
    ),
    "channel_off": (
        "⚠ {channel} no está activo en este servidor: la respuesta queda en cola hasta que lo esté.",
        "⚠ {channel} is not switched on here: the reply waits in the outbox until it is.",
    ),
    "web_chat_pending": (
        "Chat web: la página del ciudadano recoge la respuesta en unos segundos mientras siga abierta.",
        "Web chat: the citizen's page picks the reply up within seconds while it stays open.",
    ),
    "reply_to": ("Responder por {channel}", "Reply on {channel}"),
    "canned": ("Respuestas rápidas", "Canned answers"),
    "send": ("Enviar", "Send"),
    "internal_note": ("Nota interna", "Internal note"),
    "internal_note_label": (
        "Nota interna (no se envía al ciudadano)",
        "Internal note (never sent to the citizen)",
    ),
    "add_note": ("Guardar nota", "Add note"),
    "identities": ("Canales", "Channels"),
    "open_cases": ("Casos abiertos", "Open cases"),
    "none": ("Ninguno", "None"),
    "opted_out": ("dado de baja", "opted out"),
    "older_left_out": ("Se muestran los mensajes más recientes.", "Showing the most recent messages."),
    "no_messages": ("Sin mensajes todavía.", "No messages yet."),
    "case": ("Caso", "Case"),
    "photo": ("Foto enviada por el ciudadano", "Photo sent by the citizen"),
    "see_on_map": ("Ver en el mapa", "See on the map"),
    "attachment_photo": ("Foto", "Photo"),
    "attachment_document": ("Documento", "Document"),
    "attachment_voice": ("Nota de voz", "Voice note"),
    "attachment_video": ("Video", "Video"),
    "attachment_other": ("Adjunto", "Attachment"),
    "delivery_pending": ("pendiente", "pending"),
    "delivery_queued": ("en cola", "queued"),
    "delivery_sending": ("enviando", "sending"),
    "delivery_sent": ("enviado", "sent"),
    "delivery_delivered": ("entregado", "delivered"),
    "delivery_read": ("leído", "read"),
    "delivery_failed": ("falló", "failed"),
    "delivery_undelivered": ("no entregado", "undelivered"),
    # Cases.
    "cases_title": ("Casos", "Cases"),
    "export_csv": ("Exportar CSV", "Export CSV"),
    "search": ("Buscar", "Search"),
    "search_hint": ("Código o texto", "Code or text"),
    "service": ("Servicio", "Service"),
    "status": ("Estado", "Status"),
    "active_cases": ("Sin resolver", "Unresolved"),
    "from": ("Desde", "From"),
    "to": ("Hasta", "To"),
    "code": ("Código", "Code"),
    "filed": ("Registrado", "Filed"),
    "updated": ("Actualizado", "Updated"),
    "description": ("Descripción", "Description"),
    "no_cases": ("No hay casos.", "No cases."),
    "pages": ("Páginas", "Pages"),
    "previous": ("Anterior", "Previous"),
    "next": ("Siguiente", "Next"),
    "page_of": ("Página {page} de {pages}", "Page {page} of {pages}"),
    "place": ("Lugar", "Place"),
    "history": ("Historial", "History"),
    "event_created": ("Registrado", "Filed"),
    "event_via": ("Canal: {channel}", "Channel: {channel}"),
    "event_status": ("Estado", "Status"),
    "event_department": ("Área", "Department"),
    "change_status": ("Cambiar el estado", "Change the status"),
    "note": ("Nota", "Note"),
    "tell_note": ("Incluir la nota en el aviso al ciudadano", "Include the note in the citizen's notice"),
    "citizen_told": (
        "El ciudadano recibe el aviso con el código, en su idioma, por su último canal.",
        "The citizen is told, with the code, in their language, on their last channel.",
    ),
    "save": ("Guardar", "Save"),
    "final_status": ("Estado final: no cambia más.", "Final status: it does not change any more."),
    "reassign": ("Reasignar a otra área", "Reassign to another department"),
    "public_description": ("Descripción pública (Open311)", "Public description (Open311)"),
    "consent_yes": ("El ciudadano aceptó publicarla.", "The citizen agreed to publish it."),
    "consent_no": ("El ciudadano no aceptó publicarla.", "The citizen did not agree to publish it."),
    "consent_none": ("El ciudadano no respondió.", "The citizen did not answer."),
    "sensitive_service": (
        "Servicio sensible: no se le pregunta; se publica solo su área.",
        "Sensitive service: not asked; only its area is published.",
    ),
    "published_now": ("Se publica ahora.", "Published now."),
    "not_published_now": ("No se publica.", "Not published."),
    "public_preview": (
        "Así la lee el público (se ocultan nombres, teléfonos, correos y direcciones; revisa el resto):",
        "As the public reads it (names, phones, e-mails and addresses are hidden; check the rest):",
    ),
    "publish_citizen": ("Según el ciudadano", "As the citizen said"),
    "publish_yes": ("Publicar", "Publish"),
    "publish_no": ("No publicar", "Do not publish"),
    "event_joined": ("Vecino sumado", "Neighbour joined"),
    "event_supporter_note": ("Nota de un vecino sumado", "Note from a neighbour who joined"),
    "event_duplicate_joined": ("Se le unió el duplicado", "Duplicate joined into it"),
    "event_duplicate_refused": (
        "El ciudadano dijo que no era el mismo que",
        "The citizen said it was not the same as",
    ),
    "supporters": ("Vecinos sumados", "Supporters"),
    "n_supporters": ("Vecinos sumados a su caso: {n}", "Joined their case: {n}"),
    "supporters_list": ("Vecinos sumados a este reporte", "Neighbours who joined this report"),
    "metres_away": ("a {m} m", "{m} m away"),
    "duplicate_of": ("Duplicado de", "Duplicate of"),
    "mark_duplicate": ("Marcar como duplicado", "Mark as duplicate"),
    "survivor_code": ("Código del caso que sigue", "Code of the case that stays"),
    "duplicate_help": (
        "Su ciudadano y sus vecinos pasan al otro caso; a todos los de ambos casos se les avisa con ese "
        "código.",
        "Its citizen and supporters move to the other case; everyone on both is told, with that code.",
    ),
    "event_publish": ("Publicación de la descripción", "Publishing the description"),
    # "Was it fixed?" follow-ups, in the case's history (case events of kind "followup").
    "reopenings": ("Reabierto por el ciudadano", "Reopened by the citizen"),
    "clock_from": ("meta contada desde", "target counted from"),
    "event_followup": ("Seguimiento «¿lo arreglaron?»", 'Follow-up "was it fixed?"'),
    "followup_sent": ("preguntado al ciudadano", "asked the citizen"),
    "followup_sent_template": ("preguntado por plantilla de WhatsApp", "asked with the WhatsApp template"),
    "followup_sent_sms": (
        "preguntado por SMS (fuera de la ventana de WhatsApp)",
        "asked by SMS (outside WhatsApp's window)",
    ),
    "followup_not_sent_opted_out": (
        "no enviado: el ciudadano se dio de baja del canal",
        "not sent: the citizen opted out of the channel",
    ),
    "followup_not_sent_no_channel": (
        "no enviado: el ciudadano no tiene canal de chat",
        "not sent: the citizen has no chat channel",
    ),
    "followup_not_sent_outside_window": (
        "no enviado: fuera de la ventana de 24 h de WhatsApp, sin plantilla ni SMS configurados",
        "not sent: outside WhatsApp's 24-hour window, with no template and no SMS configured",
    ),
    "followup_not_sent_no_citizen": (
        "no enviado: el caso no tiene ciudadano",
        "not sent: the case has no citizen",
    ),
    "followup_not_sent_busy_too_long": (
        "no enviado: el ciudadano estuvo ocupado en otra conversación todo el plazo",
        "not sent: the citizen was busy in another conversation the whole time",
    ),
    "followup_answer_late": (
        "respondió fuera de plazo; el caso no cambia",
        "answered too late; the case does not move",
    ),
    "followup_answer_stale_yes": (
        "dijo que sí se arregló, pero el caso había cambiado: no se mueve",
        "said it was fixed, but the case had changed: not moved",
    ),
    "followup_answer_stale_no": (
        "dijo que no se arregló, pero el caso había cambiado: no se mueve",
        "said it was not fixed, but the case had changed: not moved",
    ),
    "followup_answer_unknown": ("no sabe si se arregló", "does not know whether it was fixed"),
    "followup_escalated": (
        "dice otra vez que no se arregló: pasa a un supervisor",
        "says again it was not fixed: goes to a supervisor",
    ),
    "followup_rated": ("calificó la atención", "rated the service"),
    "followup_comment": ("dejó un comentario", "left a comment"),
    "save_publishing": ("Aplicar", "Apply"),
    # Citizens.
    "open_conversation": ("Abrir la conversación", "Open the conversation"),
    "language": ("Idioma", "Language"),
    "phone": ("Teléfono", "Phone"),
    "email": ("Correo", "E-mail"),
    "since": ("Desde", "Since"),
    "address": ("Dirección", "Address"),
    "name": ("Nombre", "Name"),
    "last_inbound": ("Último mensaje", "Last message"),
    "preferential_attention": ("Atención preferencial", "Preferential attention"),
    "preferential_help": (
        "Sube a la persona en la fila y la prioridad de sus casos abiertos.",
        "Moves the person up the queue and raises their open cases' priority.",
    ),
    "preferential_reason": ("Motivo", "Reason"),
    "merge": ("Unir ciudadanos", "Merge citizens"),
    "merge_help": (
        "Los canales, mensajes y casos del otro registro pasan a #{id}, y ese registro se borra.",
        "The other record's channels, messages and cases move to #{id}, and that record is deleted.",
    ),
    "merge_source": ("Número del otro registro", "The other record's number"),
    "merge_confirm": ("Es la misma persona; no se puede deshacer", "Same person; this cannot be undone"),
    # Dashboard and audit.
    "dashboard_title": ("Panel de supervisión", "Supervisor dashboard"),
    "period": ("Últimos {days} días (días de {zone}).", "Last {days} days ({zone} days)."),
    "kpi_new_cases": ("Casos nuevos", "New cases"),
    "kpi_total": ("{n} en total", "{n} in all"),
    "kpi_first_response": ("Mediana de primera respuesta", "Median first response"),
    "kpi_resolution": ("Mediana de solución", "Median resolution time"),
    "kpi_of": ("sobre {n}", "of {n}"),
    "kpi_bot_only": ("Resueltas sin una persona", "Solved without a person"),
    "kpi_bot_only_of": ("{n} de {total} ciudadanos", "{n} of {total} citizens"),
    "kpi_waiting_breached": ("Esperando fuera de plazo ahora", "Waiting past target now"),
    "kpi_late_first_responses": ("Primeras respuestas tarde", "Late first responses"),
    "kpi_overdue_cases": ("Casos abiertos vencidos", "Overdue open cases"),
    "kpi_late_resolutions": ("Soluciones fuera de plazo", "Late resolutions"),
    "chart_by_service": ("Casos por servicio y estado", "Cases by service and status"),
    "chart_per_day": ("Casos por día", "Cases per day"),
    # Closing the loop (inbox/satisfaction.py): follow-ups, reopened cases, ratings, supporters.
    "loop_title": ("Cerrar el ciclo: ¿lo arreglamos?", "Closing the loop: did we fix it?"),
    "loop_help": (
        "«Arreglado» es lo que confirmó el ciudadano al responder el seguimiento; «cerrado», lo que "
        "decidió el equipo.",
        '"Fixed" is what the citizen confirmed when answering the follow-up; "closed", what staff decided.',
    ),
    "loop_csv": ("Exportar estas cifras (CSV)", "Export these figures (CSV)"),
    "kpi_response_rate": ("Respuesta a seguimientos", "Follow-up response rate"),
    "kpi_answered_of": ("{n} de {total} enviados", "{n} of {total} sent"),
    "kpi_fixed_share": ("Respondieron «arreglado»", 'Answered "fixed"'),
    "kpi_fixed_of": ("{n} de {total} respuestas", "{n} of {total} answers"),
    "kpi_reopen_rate": ("Casos reabiertos", "Cases reopened"),
    "kpi_reopened_of": ("{n} de {total} resueltos", "{n} of {total} resolved"),
    "kpi_satisfaction": ("Satisfacción (mediana, 1–5)", "Satisfaction (median, 1–5)"),
    "kpi_high_share": ("{share} con 4 o 5, de {n}", "{share} rated 4 or 5, of {n}"),
    "kpi_closed": ("Cerrados por el equipo", "Closed by staff"),
    "kpi_fixed": ("Arreglados, según el ciudadano", "Fixed, as the citizen says"),
    "kpi_supporters": ("Vecinos sumados por caso", "Supporters per case"),
    "kpi_supporters_of": ("{n} en {total} casos nuevos", "{n} on {total} new cases"),
    "kpi_conversations": ("Atención de personas (mediana)", "Conversations with a person (median)"),
    "loop_by_service": ("Por servicio", "By service"),
    "loop_by_department": ("Por área", "By department"),
    "col_sent": ("Seguim.", "Sent"),
    "col_response": ("Respuesta", "Answered"),
    "col_fixed_share": ("«Arreglado»", '"Fixed"'),
    "col_reopen": ("Reabiertos", "Reopened"),
    "col_closed": ("Cerrados", "Closed"),
    "col_fixed": ("Arreglados", "Fixed"),
    "col_median": ("Mediana", "Median"),
    "col_high": ("4–5", "4–5"),
    "loop_agents": ("Atención de personas: calificación por agente", "Conversations: rating per agent"),
    "col_agent": ("Agente", "Agent"),
    "col_asked": ("Preguntadas", "Asked"),
    "col_rated": ("Calificadas", "Rated"),
    "no_ratings": (
        "Nadie ha calificado una conversación en el periodo.",
        "No conversation was rated in the period.",
    ),
    "loop_supported": ("Casos con más vecinos sumados", "Most supported cases"),
    "col_case": ("Caso", "Case"),
    "col_supporters": ("Vecinos", "Supporters"),
    "no_supporters": ("Ningún vecino se sumó a un caso del periodo.", "Nobody joined a case of the period."),
    "no_followups": ("Ningún seguimiento en el periodo.", "No follow-ups in the period."),
    "all_scope": ("Todo", "All"),
    "all_agents": ("Todos los agentes", "All agents"),
    "audit_title": ("Registro de acciones del equipo", "Staff actions"),
    "when": ("Cuándo", "When"),
    "who": ("Quién", "Who"),
    "what": ("Qué", "What"),
    "on": ("Sobre", "On"),
    "from_to": ("De → a", "From → to"),
    "conversation": ("Conversación", "Conversation"),
    # Accounts (admins).
    "accounts_title": ("Cuentas del equipo", "Staff accounts"),
    "accounts_intro": (
        "Cada cambio queda en la auditoría con tu nombre. Los cambios de rol y de áreas valen desde la "
        "siguiente página que abra la persona.",
        "Every change is in the audit trail under your name. Role and department changes apply from the "
        "person's next page.",
    ),
    "new_account": ("Nueva cuenta", "New account"),
    "username_help": ("2 a 80 letras, números y . _ @ -", "2-80 letters, digits and . _ @ -"),
    "role": ("Rol", "Role"),
    "save_role": ("Guardar el rol", "Save the role"),
    "save_departments": ("Guardar las áreas", "Save the departments"),
    "sees": ("Ve", "Sees"),
    "every_department": ("Todas las áreas", "Every department"),
    "departments_legend": ("Áreas que ve", "Departments seen"),
    "departments_help": (
        "Solo verá casos, conversaciones y ciudadanos de las áreas marcadas, y la fila general (quien "
        "aún no tiene caso abierto). Ninguna marcada: todas.",
        "Sees only the cases, conversations and citizens of the ticked departments, and the general "
        "queue (citizens with no open case). None ticked: every department.",
    ),
    "password_optional": ("Contraseña (opcional)", "Password (optional)"),
    "password_help": (
        "Vacía: se genera una temporal y se muestra una sola vez. Si la escribes: mínimo {n} caracteres.",
        "Empty: a temporary one is generated and shown once. If you type one: at least {n} characters.",
    ),
    "create_account": ("Crear la cuenta", "Create the account"),
    "last_login": ("Último ingreso", "Last login"),
    "last_seen": ("Última actividad", "Last seen"),
    "open_sessions": ("Sesiones abiertas", "Open sessions"),
    "never": ("Nunca", "Never"),
    "state_active": ("Activa", "Active"),
    "state_locked": ("Bloqueada", "Locked"),
    "state_inactive": ("Desactivada", "Deactivated"),
    "you": ("tú", "you"),
    "change_account": ("Cambiar esta cuenta", "Change this account"),
    "reset_password": ("Cambiar la contraseña", "Reset the password"),
    "reset_help": (
        "Desbloquea la cuenta y cierra todas sus sesiones.",
        "Unlocks the account and ends all its sessions.",
    ),
    "revoke_sessions": ("Cerrar todas sus sesiones", "Log out everywhere"),
    "revoke_help": (
        "Para un teléfono perdido: la cuenta sigue igual.",
        "For a lost phone: the account stays as it is.",
    ),
    "deactivate": ("Desactivar la cuenta", "Deactivate the account"),
    "deactivate_help": (
        "No podrá entrar; sus sesiones se cierran ya. Se puede reactivar.",
        "They cannot log in; their sessions end now. It can be reactivated.",
    ),
    "reactivate": ("Reactivar la cuenta", "Reactivate the account"),
    "reactivate_help": (
        "Podrá entrar de nuevo con su contraseña.",
        "They can log in again with their password.",
    ),
    "unlock": ("Desbloquear", "Unlock"),
    "unlock_help": (
        "Bloqueada por intentos fallidos; se desbloquea sola a los 15 minutos.",
        "Locked after failed logins; it unlocks by itself after 15 minutes.",
    ),
    "temporary_password": ("Contraseña temporal de {name}", "Temporary password for {name}"),
    "temporary_password_help": (
        "Cópiala ahora: no se vuelve a mostrar. Entrégala en persona o por teléfono, no por correo ni chat.",
        "Copy it now: it is not shown again. Hand it over in person or by phone, not by e-mail or chat.",
    ),
}

# What a staff member is told after an action (the key travels in ?done=), and whether it is a problem.
NOTICES: dict[str, str] = {
    "claimed": "ok",
    "assigned": "ok",
    "released": "ok",
    "handed_back": "ok",
    "sent": "ok",
    "noted": "ok",
    "status_changed": "ok",
    "status_changed_silent": "ok",
    "reassigned": "ok",
    "publish_set": "ok",
    "marked_duplicate": "ok",
    "preferential_set": "ok",
    "preferential_cleared": "ok",
    "merged": "ok",
    "account_added": "ok",
    "account_deactivated": "ok",
    "account_reactivated": "ok",
    "sessions_revoked": "ok",
    "password_reset": "ok",
    "role_changed": "ok",
    "departments_changed": "ok",
    "held_by_colleague": "problem",
    "already_there": "problem",
    "not_held": "problem",
    "no_channel": "problem",
    "empty": "problem",
    "too_long": "problem",
    "no_such_colleague": "problem",
    "bad_transition": "problem",
    "bad_department": "problem",
    "bad_duplicate": "problem",
    "bad_kind": "problem",
    "reason_needed": "problem",
    "no_such_citizen": "problem",
    "same_citizen": "problem",
    "confirm_merge": "problem",
    "no_such_account": "problem",
    "username_taken": "problem",
    "bad_username": "problem",
    "bad_role": "problem",
    "password_short": "problem",
    "unknown_department": "problem",
    "last_admin": "problem",
}
WORDS.update(
    {
        "notice_claimed": (
            "Tomaste la conversación: el asistente queda en silencio.",
            "Claimed: the bot stays silent.",
        ),
        "notice_assigned": ("Conversación asignada.", "Conversation assigned."),
        "notice_released": ("Conversación devuelta a la fila.", "Conversation back in the queue."),
        "notice_handed_back": ("El asistente vuelve a responder.", "The bot answers again."),
        "notice_sent": ("Respuesta enviada.", "Reply sent."),
        "notice_noted": ("Nota guardada (no se envía).", "Note saved (not sent)."),
        "notice_status_changed": (
            "Estado cambiado; se avisó al ciudadano.",
            "Status changed; the citizen was told.",
        ),
        "notice_status_changed_silent": (
            "Estado cambiado. El ciudadano no tiene canal al que avisarle.",
            "Status changed. The citizen has no channel to be told on.",
        ),
        "notice_marked_duplicate": (
            "Marcado como duplicado; se avisó a todos los de ambos casos.",
            "Marked as a duplicate; everyone on both cases was told.",
        ),
        "notice_bad_duplicate": (
            "No se pudo: revisa el código del otro caso (no este, ni otro duplicado) y el estado de este.",
            "Not possible: check the other case's code (not this one, nor another duplicate) and this "
            "case's status.",
        ),
        "notice_reassigned": ("Caso reasignado.", "Case reassigned."),
        "notice_publish_set": ("Publicación de la descripción guardada.", "Publishing saved."),
        "notice_preferential_set": ("Atención preferencial activada.", "Preferential attention set."),
        "notice_preferential_cleared": ("Atención preferencial retirada.", "Preferential attention cleared."),
        "notice_merged": ("Ciudadanos unidos en uno.", "Citizens merged into one."),
        "notice_held_by_colleague": ("La atiende otra persona.", "A colleague is handling it."),
        "notice_already_there": ("Ya estaba así.", "It already was."),
        "notice_not_held": ("Nadie la atiende ahora.", "Nobody is handling it now."),
        "notice_no_channel": (
            "El ciudadano no tiene canal de respuesta.",
            "The citizen has no channel to reply on.",
        ),
        "notice_empty": ("El texto está vacío.", "The text is empty."),
        "notice_too_long": ("El texto es demasiado largo (máx. 4000).", "The text is too long (max. 4000)."),
        "notice_no_such_colleague": ("Esa persona no existe o no está activa.", "No such active colleague."),
        "notice_bad_transition": (
            "Ese cambio de estado no es posible.",
            "That status change is not possible.",
        ),
        "notice_bad_department": ("Elige otra área.", "Choose another department."),
        "notice_bad_kind": (
            "Tipo de atención preferencial no válido.",
            "Not a kind of preferential attention.",
        ),
        "notice_reason_needed": ("Escribe el motivo.", "Write the reason."),
        "notice_no_such_citizen": ("Ese ciudadano no existe.", "No such citizen."),
        "notice_same_citizen": ("Es el mismo registro.", "That is the same record."),
        "notice_confirm_merge": ("Confirma que es la misma persona.", "Confirm it is the same person."),
        "notice_account_added": ("Cuenta creada.", "Account created."),
        "notice_account_deactivated": (
            "Cuenta desactivada; sus sesiones se cerraron.",
            "Account deactivated; its sessions ended.",
        ),
        "notice_account_reactivated": ("Cuenta activa y desbloqueada.", "Account active and unlocked."),
        "notice_sessions_revoked": ("Se cerraron todas sus sesiones.", "All its sessions ended."),
        "notice_password_reset": (
            "Contraseña cambiada; la cuenta está desbloqueada y sus sesiones se cerraron.",
            "Password reset; the account is unlocked and its sessions ended.",
        ),
        "notice_role_changed": ("Rol cambiado.", "Role changed."),
        "notice_departments_changed": ("Áreas cambiadas.", "Departments changed."),
        "notice_no_such_account": ("Esa cuenta no existe.", "No such account."),
        "notice_username_taken": ("Ya hay una cuenta con ese usuario.", "That username is taken."),
        "notice_bad_username": (
            "El usuario lleva de 2 a 80 letras, números y . _ @ -",
            "A username takes 2-80 letters, digits and . _ @ -",
        ),
        "notice_bad_role": ("Ese rol no existe.", "No such role."),
        "notice_password_short": (
            f"La contraseña necesita al menos {MIN_PASSWORD} caracteres.",
            f"The password needs at least {MIN_PASSWORD} characters.",
        ),
        "notice_unknown_department": ("Esa área no existe.", "No such department."),
        "notice_last_admin": (
            "Es la última cuenta de administración activa: da ese rol a otra cuenta antes.",
            "That is the last active admin: make another account an admin first.",
        ),
    }
)

# --- Data rights (issue 15): the citizen's export from their profile (inbox/routes/citizen_export.py). ---
WORDS.update(
    {
        "data_export": ("Datos del ciudadano", "The citizen's data"),
        "data_export_help": (
            "Un .zip con todo lo que guardamos de esta persona (lo mismo que recibe con «descargar mis "
            "datos»). Queda registrado como su solicitud y en la auditoría.",
            'A .zip with everything we keep about this person (what they get with "download my data"). '
            "It is recorded as their request and in the audit trail.",
        ),
        "data_export_button": ("Descargar datos (zip)", "Download data (zip)"),
    }
)

# --- Data rights (issue 15), requests: the data-requests queue, holds and staff's data operations. ---
WORDS.update(
    {
        "nav_data_requests": ("Solicitudes de datos", "Data requests"),
        "data_due_title": (
            "{n} por vencer en 2 días hábiles o vencidas",
            "{n} due within 2 business days or overdue",
        ),
        "data_requests_title": ("Solicitudes sobre datos personales", "Personal data requests"),
        "data_requests_pending": ("Abiertas y retenidas", "Open and held"),
        "data_requests_closed": ("Cerradas", "Closed"),
        "data_requests_help": (
            "Plazos legales en días hábiles del país de la ciudad (festivos incluidos). La más urgente "
            "primero. Una corrección la hace una persona: cambie el dato y ciérrela con una nota.",
            "Legal deadlines in business days of the city's country (public holidays included). Most urgent "
            "first. A person makes a correction: change the data, then close it with a note.",
        ),
        "request_ref": ("Solicitud", "Request"),
        "request_kind": ("Tipo", "Kind"),
        "request_kind_see": ("Ver sus datos", "See their data"),
        "request_kind_export": ("Descargar sus datos", "Download their data"),
        "request_kind_correct": ("Corregir un dato", "Correct their data"),
        "request_kind_erase": ("Borrar sus datos", "Erase their data"),
        "request_status": ("Estado", "Status"),
        "request_status_open": ("Abierta", "Open"),
        "request_status_held": ("Retenida", "Held"),
        "request_status_done": ("Atendida", "Done"),
        "request_status_cancelled": ("Cancelada", "Cancelled"),
        "request_detail": ("Lo que pidió", "What they asked"),
        "request_note": ("Nota", "Note"),
        "request_note_hint": ("Qué se corrigió", "What was corrected"),
        "request_mark_done": ("Atendida", "Done"),
        "request_cancel": ("Cancelar", "Cancel"),
        "request_actions": ("Cerrar", "Close"),
        "asked_on": ("Pedida", "Asked"),
        "due_on": ("Vence", "Due"),
        "overdue_by": ("Vencida hace {n} día(s) hábil(es)", "Overdue by {n} business day(s)"),
        "due_today": ("Vence hoy", "Due today"),
        "business_days_left": ("Quedan {n} día(s) hábil(es)", "{n} business day(s) left"),
        "no_data_requests": ("No hay solicitudes aquí.", "No requests here."),
        "channel_inbox": ("Bandeja (personal)", "Inbox (staff)"),
        "citizen_erased": ("Datos borrados", "Data erased"),
        "citizen_erased_note": (
            "Los datos de esta persona se borraron: este registro guarda solo los hechos de sus casos.",
            "This person's data was erased: this record keeps only the facts of their cases.",
        ),
        "erasure_held": ("Borrado retenido", "Erasure on hold"),
        "erasure_held_by": ("Retenido por {who}", "Held by {who}"),
        "data_ops": ("Datos personales", "Personal data"),
        "hold_reason": ("Motivo de la retención (obligatorio)", "Reason for the hold (required)"),
        "hold_reason_hint": ("Ej.: proceso judicial abierto", "E.g. an open court case"),
        "hold_erasure": ("Retener borrado", "Hold erasure"),
        "lift_hold": ("Levantar retención", "Lift the hold"),
        "lift_hold_help": (
            "Si la persona pidió borrar sus datos, se borran al levantar la retención.",
            "If the person asked to erase their data, it is erased when the hold is lifted.",
        ),
        "correct_name": ("Nombre", "Name"),
        "correct_name_button": ("Corregir nombre", "Correct the name"),
        "erase_help": (
            "Borra nombre, teléfonos, mensajes y fotos; los casos quedan sin nada de la persona.",
            "Erases name, phone numbers, messages and photos; the cases stay, with nothing of the person.",
        ),
        "erase_confirm": ("Escriba BORRAR para confirmar", "Type BORRAR to confirm"),
        "erase_data": ("Borrar datos", "Erase data"),
        "notice_request_done": ("Solicitud atendida.", "Request done."),
        "notice_request_cancelled": ("Solicitud cancelada.", "Request cancelled."),
        "notice_request_closed_already": (
            "Esa solicitud ya estaba cerrada.",
            "That request was already closed.",
        ),
        "notice_erase_not_by_hand": (
            "Un borrado se cumple borrando, no a mano: cancélelo o levante la retención.",
            "An erasure is done by erasing, not by hand: cancel it or lift the hold.",
        ),
        "notice_hold_set": ("Borrado retenido.", "Erasure on hold."),
        "notice_hold_lifted": ("Retención levantada.", "Hold lifted."),
        "notice_hold_lifted_erased": (
            "Retención levantada: se borraron los datos que la persona había pedido borrar.",
            "Hold lifted: the data the person had asked to erase is erased.",
        ),
        "notice_erased": (
            "Datos borrados. Este registro guarda los casos.",
            "Data erased. This record keeps the cases.",
        ),
        "notice_erase_held": (
            "No se borró: hay una retención (motivo arriba).",
            "Not erased: there is a hold (reason above).",
        ),
        "notice_type_borrar": ("Escriba BORRAR para confirmar.", "Type BORRAR to confirm."),
        "notice_renamed": ("Nombre corregido.", "Name corrected."),
        "notice_citizen_erased": (
            "Los datos de esa persona ya se borraron.",
            "That person's data is already erased.",
        ),
    }
)
NOTICES.update(
    {
        "request_done": "ok",
        "request_cancelled": "ok",
        "hold_set": "ok",
        "hold_lifted": "ok",
        "hold_lifted_erased": "ok",
        "erased": "ok",
        "renamed": "ok",
        "request_closed_already": "problem",
        "erase_not_by_hand": "problem",
        "erase_held": "problem",
        "type_borrar": "problem",
        "citizen_erased": "problem",
    }
)

# --- Data rights (issue 15): retention. ---
WORDS.update(
    {
        "text_retired": (
            "(texto retirado por el plazo de conservación)",
            "(text removed: its retention period ended)",
        ),
        "text_erased": (
            "(borrado: la persona pidió borrar sus datos)",
            "(erased: the person asked to erase their data)",
        ),
    }
)

# --- Participation (issue 16): navigation. ---
WORDS.update(
    {
        "nav_surveys": ("Encuestas", "Surveys"),
        "nav_alerts": ("Avisos", "Alerts"),
    }
)

# --- Participation (issue 16): surveys and their results (inbox/routes/surveys.py). ---
WORDS.update(
    {
        "surveys_title": ("Encuestas", "Surveys"),
        "surveys_help": (
            "Se crean con «ventanilla surveys create ARCHIVO.yml» y se envían con «ventanilla surveys send».",
            'Created with "ventanilla surveys create FILE.yml" and sent with "ventanilla surveys send".',
        ),
        "surveys_none": ("Todavía no hay encuestas.", "No surveys yet."),
        "surveys_back": ("Volver a las encuestas", "Back to the surveys"),
        "survey_open": ("Abierta", "Open"),
        "survey_closed": ("Cerrada", "Closed"),
        "survey_not_yet": ("Aún no abre", "Not open yet"),
        "survey_binding": ("Vinculante", "Binding"),
        "survey_advisory": ("Consultiva", "Advisory"),
        "survey_topic": ("Tema", "Topic"),
        "survey_area": ("Zona", "Area"),
        "survey_respondents": ("Respondieron", "Respondents"),
        "survey_answered": ("{n} respuestas", "{n} answers"),
        "survey_mean": ("Promedio", "Mean"),
        "survey_choice": ("Opción", "Choice"),
        "survey_count": ("Respuestas", "Answers"),
        "survey_csv": ("Descargar CSV (público)", "Download CSV (public)"),
        "survey_public_help": (
            "Las cifras son las públicas: todo recuento menor que {n} aparece como «<{n}».",
            'These are the public figures: any count under {n} shows as "<{n}".',
        ),
        "survey_texts": ("Respuestas escritas ({n})", "Written answers ({n})"),
        "survey_texts_help": (
            "Solo para supervisores: nunca se publican. Pueden contener datos personales.",
            "Supervisors only: never published. They may hold personal details.",
        ),
        "kind_single": ("Una opción", "Single choice"),
        "kind_multiple": ("Varias opciones", "Multiple choice"),
        "kind_scale": ("Escala 1–5", "1–5 scale"),
        "kind_text": ("Texto libre", "Free text"),
        "delivery_queued": ("En cola", "Queued"),
        "delivery_sent": ("Enviadas", "Sent"),
        "delivery_delivered": ("Entregadas", "Delivered"),
        "delivery_answered": ("Respondidas", "Answered"),
        "delivery_skipped": ("Omitidas", "Skipped"),
    }
)

# --- Participation (issue 16): alerts (inbox/routes/alerts.py). ---
WORDS.update(
    {
        "alerts_title": ("Avisos a la ciudadanía", "Alerts to citizens"),
        "alerts_intro": (
            "Un aviso corto (corte de agua, vía cerrada) llega solo a quienes pidieron avisos de ese tema, "
            "a su ritmo y nunca en horas de silencio. Primero ves a cuántas personas llega; luego confirmas.",
            "A short notice (water cut, road closed) reaches only those who asked for that topic's "
            "alerts, at the city's pace and never in quiet hours. First you see how many it reaches; then "
            "you confirm.",
        ),
        "alert_new": ("Nuevo aviso", "New alert"),
        "alert_topic": ("Tema", "Topic"),
        "alert_area": ("Zona", "Area"),
        "alert_area_all": ("Toda la ciudad", "The whole city"),
        "alert_area_help": (
            "Solo para temas por zona; llega también a quien pidió avisos de toda la ciudad.",
            "Only for topics by area; it also reaches those who asked for the whole city's alerts.",
        ),
        "alert_by_area": ("por zona", "by area"),
        "alert_text_es": ("Texto en español", "Text in Spanish"),
        "alert_text_en": ("Texto en inglés (opcional)", "Text in English (optional)"),
        "alert_chars": ("{n} de {most} caracteres", "{n} of {most} characters"),
        "alert_preview": ("Ver a quién llega", "See whom it reaches"),
        "alert_preview_title": ("Así lo leerán", "How citizens will read it"),
        "alert_reach": ("Llegará a {n} personas.", "It will reach {n} people."),
        "alert_reach_none": (
            "Nadie pidió avisos de este tema en esta zona: no llegaría a nadie.",
            "Nobody asked for this topic's alerts in this area: it would reach nobody.",
        ),
        "alert_confirm": ("Confirmar y enviar", "Confirm and send"),
        "alert_edit": ("Corregir", "Edit"),
        "alert_problem_unknown_topic": ("Ese tema no existe.", "That topic does not exist."),
        "alert_problem_unknown_area": ("Esa zona no existe.", "That area does not exist."),
        "alert_problem_no_text": ("Falta el texto en español.", "The Spanish text is missing."),
        "alert_problem_too_long": (
            "El texto ({language}) tiene {n} caracteres; el máximo es {most}. No se envió nada.",
            "The text ({language}) has {n} characters; at most {most}. Nothing was sent.",
        ),
        "sent_title": ("Avisos y encuestas enviados", "Alerts and surveys sent"),
        "sent_none": ("Todavía no se ha enviado nada.", "Nothing has been sent yet."),
        "sent_kind_alert": ("Aviso", "Alert"),
        "sent_kind_survey": ("Encuesta", "Survey"),
        "sent_kind_reminder": ("Recordatorio", "Reminder"),  # of a knowledge topic's date (issue 17)
        "sent_by_cli": ("línea de comandos", "command line"),
        "delivery_queued": ("en cola", "queued"),
        "delivery_sent": ("enviados", "sent"),
        "delivery_delivered": ("entregados", "delivered"),
        "delivery_answered": ("respondidos", "answered"),
        "delivery_skipped": ("no enviados", "not sent"),
        "skip_opted_out": ("se dieron de baja", "opted out"),
        "skip_outside_window": (
            "WhatsApp fuera de las 24 horas, sin plantilla aprobada",
            "WhatsApp outside the 24 hours, no approved template",
        ),
        "skip_no_channel": ("sin canal de chat", "no chat channel"),
        "skip_closed": ("la encuesta cerró antes", "the survey closed first"),
        "skip_expired": ("el aviso esperó más de un día", "the alert waited over a day"),
        "skip_suppressed": ("número que borró sus datos", "a number that erased its data"),
        "skip_erased": ("borraron sus datos", "erased their data"),
        "notice_alert_queued": (
            "Aviso en cola: sale al ritmo de la ciudad (en horas de silencio, espera a la mañana).",
            "Alert queued: it goes out at the city's pace (in quiet hours it waits for the morning).",
        ),
    }
)
NOTICES.update({"alert_queued": "ok"})

# --- Knowledge base (issue 17): what citizens asked (inbox/routes/knowledge.py). ---
WORDS.update(
    {
        "nav_knowledge": ("Preguntas", "Questions"),
        "knowledge_title": ("Lo que preguntó la ciudadanía", "What citizens asked"),
        "knowledge_intro": (
            "Las preguntas que el asistente no supo responder y las respuestas que no sirvieron, las más "
            "repetidas primero: lo que conviene escribir o corregir en la base de conocimiento. Se muestran "
            "las palabras enmascaradas y los conteos, nunca quién preguntó.",
            "The questions the assistant could not answer and the answers that did not help, the most "
            "repeated first: what to write or fix next in the knowledge base. Masked words and counts are "
            "shown, never who asked.",
        ),
        "knowledge_period": ("Periodo", "Period"),
        "knowledge_days": ("Últimos {days} días", "Last {days} days"),
        "knowledge_csv": ("Descargar las dos listas (CSV)", "Download both lists (CSV)"),
        "knowledge_misses": ("Preguntas sin respuesta", "Questions with no answer"),
        "knowledge_misses_help": (
            "Nada en la base se parecía: el asistente respondió que no podía resolverlo y ofreció una "
            "persona. Si se repite, falta un tema (o ejemplos de pregunta en uno que ya existe).",
            "Nothing in the knowledge base was close: the assistant said it could not help and offered a "
            "person. If it repeats, a topic is missing (or example questions in an existing one).",
        ),
        "knowledge_not_useful": ("Respuestas que no sirvieron", "Answers that did not help"),
        "knowledge_not_useful_help": (
            "Se respondió con un tema y la persona dijo «no» a «¿Te sirvió?»: el tema equivocado (añada "
            "ejemplos al correcto) o una respuesta que hay que mejorar.",
            "A topic was answered and the person said \u201cno\u201d to \u201cDid this help?\u201d: the "
            "wrong topic (add examples to the right one) or an answer to improve.",
        ),
        "knowledge_question": ("Pregunta (un ejemplo)", "Question (one example)"),
        "knowledge_times": ("Veces", "Times"),
        "knowledge_last": ("Última vez", "Last asked"),
        "knowledge_languages": ("Idioma", "Language"),
        "knowledge_topic_answered": ("Tema respondido", "Topic answered"),
        "knowledge_none_missed": (
            "Ninguna pregunta sin respuesta en el periodo.",
            "No unanswered question in the period.",
        ),
        "knowledge_none_not_useful": (
            "Nadie dijo que una respuesta no le sirvió en el periodo.",
            "Nobody said an answer did not help in the period.",
        ),
        "knowledge_without_text": (
            "Y {n} más cuyo texto ya se borró (a pedido de la persona o por antigüedad): cuentan, pero no se "
            "pueden leer.",
            "And {n} more whose text was removed (at the person's request or for age): counted, no longer "
            "readable.",
        ),
        "knowledge_topics": ("Cada tema", "Each topic"),
        "knowledge_topics_help": (
            "Respondidos directamente, elegidos entre opciones y lo que dijeron a «¿Te sirvió?». Un tema sin "
            "revisar en {months} meses lleva la marca «revisar».",
            "Answered outright, chosen from choices, and what people said to \u201cDid this help?\u201d. A "
            "topic not checked in {months} months is marked \u201ccheck\u201d.",
        ),
        "knowledge_col_topic": ("Tema", "Topic"),
        "knowledge_col_answered": ("Respondido", "Answered"),
        "knowledge_col_chosen": ("Elegido", "Chosen"),
        "knowledge_col_useful": ("Sirvió", "Helped"),
        "knowledge_col_not_useful": ("No sirvió", "Did not help"),
        "knowledge_col_share": ("% sirvió", "% helped"),
        "knowledge_col_checked": ("Revisado", "Checked"),
        "knowledge_stale": ("revisar", "check"),
        "knowledge_never_checked": ("nunca", "never"),
        "knowledge_never_asked": ("nunca preguntado", "never asked"),
        "knowledge_gone": ("archivo eliminado", "file removed"),
        "knowledge_no_topics": (
            "La base de conocimiento no tiene temas.",
            "The knowledge base has no topics.",
        ),
    }
)

# Issue 18, contacts: calls and visits staff record, and the dashboard's cases by channel.
WORDS.update(
    {
        "nav_contact": ("Registrar llamada o visita", "Record a call or visit"),
        "contact_title": ("Registrar una llamada o una visita", "Record a phone call or a visit"),
        "contact_intro": (
            "Con el número se encuentra a la persona (si ya escribió por SMS o WhatsApp) o se crea; la "
            "llamada queda en su historial y los avisos del caso le llegan por SMS o WhatsApp.",
            "The number finds the person (if they wrote on SMS or WhatsApp) or creates them; the call goes "
            "into their history and the case's news reaches them on SMS or WhatsApp.",
        ),
        "contact_who": ("¿Quién?", "Who?"),
        "contact_phone": ("Teléfono", "Phone number"),
        "contact_phone_hint": (
            "Ej.: 300 555 0101 o +57 300 555 0101",
            "E.g. 300 555 0101 or +57 300 555 0101",
        ),
        "contact_name": ("Nombre (si no tiene teléfono)", "Name (if no phone)"),
        "contact_channel": ("Cómo llegó", "How they reached us"),
        "contact_at": ("Cuándo", "When"),
        "contact_summary": ("Resumen", "Summary"),
        "contact_summary_hint": (
            "Qué pidió o contó, y qué se le dijo",
            "What they asked or told, and what they were told",
        ),
        "contact_case": ("Registrar un caso a su nombre", "File a case on their behalf"),
        "contact_no_case": ("Sin caso", "No case"),
        "contact_service": ("Servicio", "Service"),
        "contact_description": ("Descripción del problema", "Description of the problem"),
        "contact_place": ("Dirección o lugar", "Address or place"),
        "contact_save": ("Guardar", "Save"),
        "contact_recorded_by": ("Registrado por {who}", "Recorded by {who}"),
        "contact_error_channel": ("Elige llamada o presencial.", "Choose phone call or in person."),
        "contact_error_summary": ("Escribe un resumen.", "Write a summary."),
        "contact_error_too_long": ("El resumen es demasiado largo.", "The summary is too long."),
        "contact_error_time": ("La fecha y hora no son válidas.", "The date and time are not valid."),
        "contact_error_future": (
            "La fecha y hora no pueden ser futuras.",
            "The date and time cannot be in the future.",
        ),
        "contact_error_too_old": ("La fecha es de hace más de un año.", "The date is more than a year ago."),
        "contact_error_service": ("Ese servicio no existe.", "That service does not exist."),
        "contact_error_description": ("Describe el problema del caso.", "Describe the case's problem."),
        "contact_error_phone": ("Ese teléfono no es válido.", "That phone number is not valid."),
        "contact_error_who": ("Escribe un teléfono o un nombre.", "Write a phone number or a name."),
        "contact_error_erased": (
            "Los datos de esta persona se borraron: registra el contacto como una persona nueva.",
            "This person's data was erased: record the contact as a new person.",
        ),
        "notice_contact_recorded": ("Contacto registrado.", "Contact recorded."),
        "notice_contact_recorded_case": (
            "Contacto y caso registrados; si tiene SMS o WhatsApp, le enviamos el código.",
            "Contact and case recorded; if they have SMS or WhatsApp, the code was sent to them.",
        ),
        "notice_contact_recorded_elsewhere": (
            "Contacto registrado en el historial de la persona (su caso es de otra dependencia).",
            "Contact recorded in the person's history (their case belongs to another department).",
        ),
        "chart_by_channel": ("Casos por canal", "Cases by channel"),
        "col_channel": ("Canal", "Channel"),
        "col_cases": ("Casos", "Cases"),
    }
)
NOTICES.update({"contact_recorded": "ok", "contact_recorded_case": "ok", "contact_recorded_elsewhere": "ok"})

# Voice notes played in the inbox (issue 18, web chat voice part).
WORDS.update(
    {
        "voice_download": ("Descargar la nota de voz", "Download the voice note"),
        # The message a voice note became (bot/voice_notes.py): its transcript, or none (not made out, too
        # long, or retired since: the note above still plays while it is kept).
        "voice_transcript": (
            "Transcripción de la nota de voz anterior",
            "Transcript of the voice note above",
        ),
        "voice_not_transcribed": ("(nota de voz sin transcripción)", "(voice note without a transcript)"),
        "voice_no_player": (
            "Este navegador no reproduce la nota de voz; descárgala.",
            "This browser cannot play the voice note; download it.",
        ),
    }
)

# Equity you can see (issue 19, part C): the supervisors' equity page, its CSV and the dashboard's block.
WORDS.update(
    {
        "nav_equity": ("Equidad", "Equity"),
        "equity_title": ("Equidad en la atención", "Equity of service"),
        "equity_help": (
            "Casos radicados en el periodo. Primera respuesta: la primera vez que una persona del equipo "
            "escribió al ciudadano o cambió el estado del caso. Un caso abierto que ya pasó su meta cuenta "
            "como incumplido; uno que aún está en plazo no cuenta todavía.",
            "Cases filed in the period. First response: the first time a staff member wrote to the citizen "
            "or changed the case's status. An open case already past its target counts as a miss; one "
            "still within it does not count yet.",
        ),
        "equity_period": ("Periodo", "Period"),
        "equity_days": ("Últimos {days} días", "Last {days} days"),
        "equity_from": ("Desde", "From"),
        "equity_to": ("Hasta", "To"),
        "equity_show": ("Ver", "Show"),
        "equity_shown": ("Del {first} al {last} ({zone}).", "From {first} to {last} ({zone})."),
        "equity_bad_days": (
            "El periodo debe ser de 30, 90 o 365 días.",
            "The period must be 30, 90 or 365 days.",
        ),
        "equity_bad_dates": (
            "Escribe las dos fechas, desde y hasta, como AAAA-MM-DD.",
            "Give both dates, from and to, as YYYY-MM-DD.",
        ),
        "equity_bad_order": (
            "La fecha inicial va antes de la final.",
            "The first date must come before the last.",
        ),
        "equity_too_long": (
            "El periodo puede ser de dos años como máximo.",
            "The period can be two years at most.",
        ),
        "equity_by_preferential": ("Atención preferencial y demás", "Preferential attention and others"),
        "equity_by_area": ("Por zona", "By area"),
        "equity_by_channel": ("Por canal", "By channel"),
        "equity_preferential_yes": ("Con atención preferencial", "With preferential attention"),
        "equity_preferential_no": ("Demás ciudadanos", "Other citizens"),
        "equity_no_area": ("Sin zona", "No area"),
        "equity_group": ("Grupo", "Group"),
        "equity_cases": ("Casos", "Cases"),
        "equity_first": ("Mediana a primera respuesta", "Median to first response"),
        "equity_first_share": ("Primera respuesta en meta", "First response within target"),
        "equity_resolution": ("Mediana a resolución", "Median to resolution"),
        "equity_resolution_share": ("Resueltos en meta", "Resolved within target"),
        "equity_of": ("{n} de {total}", "{n} of {total}"),
        "equity_best": ("Mejor atendida", "Best served"),
        "equity_worst": ("Peor atendida", "Worst served"),
        "equity_gap": (
            "Brecha entre zonas: {best} resuelve en meta el {best_share} y {worst} el {worst_share}, "
            "{points} puntos menos.",
            "Gap between areas: {best} resolves {best_share} within target and {worst} {worst_share}, "
            "{points} points less.",
        ),
        "equity_no_gap": (
            "Ninguna brecha que mostrar: hacen falta dos zonas con {n} casos o más.",
            "No gap to show: it needs two areas with {n} cases or more.",
        ),
        "equity_csv": ("Exportar CSV", "Export CSV"),
        "equity_link": ("Ver la equidad en detalle", "See equity in detail"),
        "equity_none": ("Ningún caso en el periodo.", "No cases in the period."),
    }
)

# Preferential attention served first everywhere (issue 19, part B: targets, marks, the record, breaches).
WORDS.update(
    {
        "pref_history": ("Historial de la atención preferencial", "Preferential attention history"),
        "pref_granted": ("Activada", "Given"),
        "pref_withdrawn": ("Retirada", "Withdrawn"),
        "pref_by_hand": ("a mano en la bandeja", "by hand in the inbox"),
        "pref_by_citizen": ("el ciudadano", "the citizen"),
        "pref_by_staff_gone": ("personal", "staff"),
        "targets": ("Metas", "Targets"),
        "target_first_response": ("Meta de primera respuesta", "First-response target"),
        "target_resolution": ("Meta de resolución", "Resolution target"),
        "target_preferential_of": ("preferencial: {factor} de {usual}", "preferential: {factor} of {usual}"),
        "target_due": ("Vence", "Due"),
        "target_breached": ("Meta incumplida", "Target breached"),
        "target_on_time": ("A tiempo", "On time"),
        "target_none": (
            "Sin meta: la dependencia ya no existe",
            "No target: the department no longer exists",
        ),
        "kpi_pref_title": ("Atención preferencial: incumplimientos", "Preferential attention: breaches"),
        "kpi_pref_help": (
            "Solo los ciudadanos con atención preferencial, medidos con sus metas más cortas.",
            "Only citizens with preferential attention, measured against their shorter targets.",
        ),
    }
)
