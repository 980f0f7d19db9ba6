// placeholder: the batched FFT kernel (spectrum.h) goes here
