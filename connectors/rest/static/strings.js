/* Every text the web chat page shows, in Spanish (the default) and English; chat.js picks one. */
'use strict';
window.VENTANILLA_STRINGS = {
  es: {
    title: 'Ventanilla · Atención ciudadana', subtitle: 'Reporta un problema o consulta tu caso',
    skip: 'Ir a escribir un mensaje', composer: 'Escribir un mensaje', conversation: 'Conversación',
    inputLabel: 'Mensaje', placeholder: 'Escribe tu mensaje…', send: 'Enviar',
    location: 'Enviar ubicación', photo: 'Enviar foto',
    you: 'Tú dijiste:', bot: 'Ventanilla:', options: 'Opciones de respuesta',
    welcome: '¡Hola! Cuéntanos qué pasa y dónde. Por ejemplo: «Hay un bache grande en la Calle 10 con ' +
      'Carrera 5».\nTambién puedes enviar tu ubicación o una foto.',
    quick: [['Reportar un problema', 'Quiero reportar un problema'], ['¿Cómo va mi caso?', '¿Cómo va mi caso?'],
      ['Hablar con una persona', 'Quiero hablar con una persona']],
    sending: 'Enviando…', uploading: 'Subiendo foto…', locationSent: '📍 Ubicación enviada',
    locating: 'Buscando tu ubicación…', photoAlt: 'Tu foto', botImageAlt: 'Imagen enviada por Ventanilla',
    noGeo: 'Este navegador no puede compartir la ubicación. Escribe la dirección, por favor.',
    geoFailed: 'No pudimos obtener tu ubicación (permiso denegado o sin señal). Puedes escribir la dirección.',
    tooBig: 'La foto pesa {mb} MB y el máximo es 8 MB. Prueba con una foto más pequeña o una captura.',
    notImage: 'Ese archivo no es una imagen. Envía una foto, por favor.',
    netError: 'No se pudo enviar. Revisa tu conexión.', retry: 'Reintentar',
    serverError: 'Tuvimos un problema de nuestro lado. Inténtalo de nuevo en un momento.',
    rejected: 'No pudimos procesar ese mensaje.', lost: 'No se envió (la foto ya no está disponible).',
  },
  en: {
    title: 'Ventanilla · Citizen services', subtitle: 'Report a problem or ask about your case',
    skip: 'Skip to the message box', composer: 'Write a message', conversation: 'Conversation',
    inputLabel: 'Message', placeholder: 'Type your message…', send: 'Send',
    location: 'Send location', photo: 'Send photo',
    you: 'You said:', bot: 'Ventanilla:', options: 'Reply options',
    welcome: 'Hello! Tell us what is wrong and where. For example: "There is a big pothole on 10th Street ' +
      'and 5th Avenue".\nYou can also send your location or a photo.',
    quick: [['Report a problem', 'I want to report a problem'], ['How is my case going?', 'How is my case going?'],
      ['Talk to a person', 'I want to talk to a person']],
    sending: 'Sending…', uploading: 'Uploading photo…', locationSent: '📍 Location sent',
    locating: 'Finding your location…', photoAlt: 'Your photo', botImageAlt: 'Image sent by Ventanilla',
    noGeo: 'This browser cannot share your location. Please type the address.',
    geoFailed: 'We could not get your location (permission denied or no signal). You can type the address.',
    tooBig: 'The photo is {mb} MB and the limit is 8 MB. Try a smaller photo or a screenshot.',
    notImage: 'That file is not an image. Please send a photo.',
    netError: 'Could not send. Check your connection.', retry: 'Retry',
    serverError: 'Something went wrong on our side. Please try again in a moment.',
    rejected: 'We could not process that message.', lost: 'Not sent (the photo is no longer available).',
  },
};
