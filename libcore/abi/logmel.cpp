// placeholder: filled in by the audio module work
