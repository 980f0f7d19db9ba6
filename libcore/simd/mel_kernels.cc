// placeholder: the mel filterbank and log10 kernel goes here
